using System.Buffers.Binary;
using System.Text;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// The edges of safetensors loading and saving that the first tests left open (each found as a surviving mutant,
/// tests/README "Session thirteen"): streams that start mid-way or lie about their length, header lengths at each
/// limit, one- and zero-dimensional shapes, the list of names in a refusal, and the arguments refused before anything.
/// </summary>
public class SafeTensorsBoundaryTests
{
    private static readonly double[] OneTwoThree = [1.0, 2.0, 3.0];

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{shape}],\"data_offsets\":[{begin},{end}]}}";

    private static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        return bytes;
    }

    private static InvalidDataException Refused(byte[] file) => Refused(new MemoryStream(file), []);

    private static InvalidDataException Refused(byte[] file, KeyValuePair<string, Tensor<double>> target) => Refused(new MemoryStream(file), [target]);

    private static InvalidDataException Refused(Stream stream, KeyValuePair<string, Tensor<double>>[] targets) =>
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(stream, targets));

    [Fact]
    public void Null_streams_lists_and_tensors_are_refused_by_their_names()
    {
        var w = Tensor.Zeros<double>(1, 1);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => SafeTensors.Load<double>((Stream)null!, [new("w", w)])).ParamName);
        Assert.Equal("tensors", Assert.Throws<ArgumentNullException>(() => SafeTensors.Load<double>(new MemoryStream(), null!)).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentNullException>(() => SafeTensors.Load<double>(new MemoryStream(), [new("w", null!)])).ParamName);
        var stream = new MemoryStream();
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => SafeTensors.Save<double>(stream, [new("w", w), new("b", null!)])).ParamName);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused_before_anything_is_read()
    {
        var w = Tensor.Zeros<double>(1, 1);
        var source = new MemoryStream(SafeTensorsTests.File("{" + Entry("w", "F64", "1,1", 0, 8) + "}", Doubles(5)));
        var error = Assert.Throws<ArgumentException>(() => SafeTensors.Load<double>(new ForwardOnlyStream(source), [new("w", w)]));
        Assert.Equal("stream", error.ParamName);
        Assert.StartsWith("SafeTensors.Load: the stream must be readable and seekable", error.Message);
        Assert.Equal(0, source.Position);
        Assert.Equal(0.0, w.Item);
    }

    [Fact]
    public void Targets_given_twice_disposed_or_recorded_are_refused_by_name_and_nothing_is_read()
    {
        byte[] file = SafeTensorsTests.File("{" + Entry("w", "F64", "1,1", 0, 8) + "}", Doubles(5));
        var w = Tensor.Zeros<double>(1, 1, requiresGrad: true);
        var twice = Assert.Throws<ArgumentException>(() => SafeTensors.Load<double>(new MemoryStream(file), [new("w", w), new("w", Tensor.Zeros<double>(1, 1))]));
        Assert.Equal("SafeTensors.Load: the name 'w' is given twice. (Parameter 'tensors')", twice.Message);

        Tensor<double> ended;
        using (Tensor.Scope())
        {
            ended = Tensor.Zeros<double>(1, 1) + 1.0; // a result, owned by the scope (factory tensors outlive it)
        }
        Assert.Equal("SafeTensors.Load: 'w' was created inside a TensorScope that has ended; it cannot be loaded into. (Parameter 'tensors')",
            Assert.Throws<ArgumentException>(() => SafeTensors.Load<double>(new MemoryStream(file), [new("w", ended)])).Message);

        var recorded = w * 2.0;
        Assert.Contains("SafeTensors.Load: 'w', ", Assert.Throws<ArgumentException>(() => SafeTensors.Load<double>(new MemoryStream(file), [new("w", recorded)])).Message);
        Assert.Contains("is a recorded result; only leaves can be loaded into.", Assert.Throws<ArgumentException>(() => SafeTensors.Load<double>(new MemoryStream(file), [new("w", recorded)])).Message);
        Assert.Equal(0.0, w.Item);
    }

    [Fact]
    public void A_file_that_starts_part_way_into_a_stream_loads_from_there()
    {
        byte[] file = SafeTensorsTests.File("{" + Entry("w", "F64", "1,3", 0, 24) + "}", Doubles(OneTwoThree));
        var stream = new MemoryStream();
        stream.Write(new byte[13]);
        stream.Write(file);
        stream.Position = 13;
        var w = Tensor.Zeros<double>(1, 3);
        SafeTensors.Load<double>(stream, [new("w", w)]);
        Assert.Equal(OneTwoThree, w.ToFlatArray());
    }

    [Fact]
    public void Stored_shapes_fit_only_a_tensor_of_the_same_shape_or_a_vector_of_the_same_length()
    {
        byte[] Stored(string shape) => SafeTensorsTests.File("{" + Entry("w", "F64", shape, 0, 48) + "}", Doubles(1, 2, 3, 4, 5, 6));
        Assert.Contains("'w' has shape [2, 3] in the file but the tensor is 2×4", Refused(
            SafeTensorsTests.File("{" + Entry("w", "F64", "2,3", 0, 48) + "}", Doubles(1, 2, 3, 4, 5, 6)), new("w", Tensor.Zeros<double>(2, 4))).Message);
        Assert.Contains("'w' has shape [6] in the file but the tensor is 2×3", Refused(Stored("6"), new("w", Tensor.Zeros<double>(2, 3))).Message);

        foreach (var (rows, cols) in new[] { (6, 1), (1, 6) })
        {
            var vector = Tensor.Zeros<double>(rows, cols);
            SafeTensors.Load<double>(new MemoryStream(Stored("6")), [new("w", vector)]);
            Assert.Equal([1.0, 2, 3, 4, 5, 6], vector.ToFlatArray());
        }

        var scalar = Tensor.Zeros<double>(1, 1);
        SafeTensors.Load<double>(new MemoryStream(SafeTensorsTests.File("{" + Entry("s", "F64", "", 0, 8) + "}", Doubles(7))), [new("s", scalar)]);
        Assert.Equal(7.0, scalar.Item);
        Assert.Contains("'s' has shape [1, 1, 1] in the file but the tensor is 1×1",
            Refused(SafeTensorsTests.File("{" + Entry("s", "F64", "1,1,1", 0, 8) + "}", Doubles(7)), new("s", scalar)).Message);
    }

    [Fact]
    public void A_missing_name_is_refused_listing_at_most_ten_of_the_files_names()
    {
        static byte[] FileOf(int count) => SafeTensorsTests.File(
            "{" + string.Join(",", Enumerable.Range(0, count).Select(i => Entry($"t{i}", "F64", "1,1", 8 * i, 8 * (i + 1)))) + "}",
            Doubles(new double[count]));
        var target = new KeyValuePair<string, Tensor<double>>("w", Tensor.Zeros<double>(1, 1));

        Assert.Equal("SafeTensors.Load: the file has no tensor named 'w' (it has no tensors).", Refused(FileOf(0), target).Message);
        Assert.Equal("SafeTensors.Load: the file has no tensor named 'w' (it has 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9').",
            Refused(FileOf(10), target).Message);
        Assert.Equal("SafeTensors.Load: the file has no tensor named 'w' (it has 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', …).",
            Refused(FileOf(11), target).Message);
    }

    [Fact]
    public void Header_lengths_at_each_limit_are_judged_on_the_right_side()
    {
        // exactly eight bytes: a header length of 0, too short for "{}"
        Assert.Equal("SafeTensors.Load: the header length 0 is too short for a JSON object.", Refused(new byte[8]).Message);

        // "{}" exactly (a header of two bytes, ending where the file ends): an empty file, nothing to load
        var empty = new byte[10];
        BinaryPrimitives.WriteUInt64LittleEndian(empty, 2);
        "{}"u8.CopyTo(empty.AsSpan(8));
        SafeTensors.Load<double>(new MemoryStream(empty), []);
        SafeTensors.Load<double>(new MemoryStream(SafeTensorsTests.File("{}", [])), []);

        // a header of exactly the limit is read (and found not to be JSON), not refused as over the limit
        var atLimit = new ZeroStream(8L + SafeTensors.MaxHeaderBytes, SafeTensors.MaxHeaderBytes);
        Assert.StartsWith("SafeTensors.Load: the header is not valid JSON:", Refused(atLimit, []).Message);
    }

    [Fact]
    public void A_stream_that_ends_before_its_stated_length_is_refused_as_truncated()
    {
        byte[] file = SafeTensorsTests.File("{" + Entry("w", "F64", "1,3", 0, 24) + "}", Doubles(OneTwoThree));
        var w = Tensor.Zeros<double>(1, 3);
        Assert.Equal($"SafeTensors.Load: the file has {file.Length} bytes; it must start with an 8-byte header length.",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(new ShortStream(file, 4), [new("w", w)])).Message);
        Assert.Equal("SafeTensors.Load: the file ends inside the data of 'w': it is truncated.",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(new ShortStream(file, file.Length - 4), [new("w", w)])).Message);
        Assert.Equal(new double[3], w.ToFlatArray());
    }

    [Fact]
    public void Zero_sized_entries_and_empty_metadata_are_valid_headers()
    {
        // two entries of no bytes at the same offset, before 'w': the header is valid; 'z' and 'e' are simply not loaded
        string header = "{" + Entry("z", "F64", "0,1", 0, 0) + "," + Entry("e", "F32", "0", 0, 0) + "," + Entry("w", "F64", "1,1", 0, 8) + "}";
        Assert.Equal("SafeTensors.Load: the file has tensors that are not being loaded: 'z', 'e'.",
            Refused(SafeTensorsTests.File(header, Doubles(5)), new("w", Tensor.Zeros<double>(1, 1))).Message);

        var w = Tensor.Zeros<double>(1, 1);
        SafeTensors.Load<double>(new MemoryStream(SafeTensorsTests.File("{\"__metadata__\":{}," + Entry("w", "F64", "1,1", 0, 8) + "}", Doubles(5))), [new("w", w)]);
        Assert.Equal(5.0, w.Item);
    }

    [Fact]
    public void Fields_of_the_wrong_JSON_kind_are_named()
    {
        var target = new KeyValuePair<string, Tensor<double>>("w", Tensor.Zeros<double>(1, 1));
        Assert.Equal("SafeTensors.Load: 'w' has no \"dtype\" string.",
            Refused(SafeTensorsTests.File("{\"w\":{\"dtype\":5,\"shape\":[1,1],\"data_offsets\":[0,8]}}", Doubles(5)), target).Message);
        Assert.Equal("SafeTensors.Load: 'w' has no \"shape\" array.",
            Refused(SafeTensorsTests.File("{\"w\":{\"dtype\":\"F64\",\"shape\":5,\"data_offsets\":[0,8]}}", Doubles(5)), target).Message);
        Assert.Equal("SafeTensors.Load: the entry of 'w' is a JSON Number, not an object.",
            Refused(SafeTensorsTests.File("{\"w\":5}", Doubles(5)), target).Message);
        Assert.Equal("SafeTensors.Load: 'w' has no \"data_offsets\" array.",
            Refused(SafeTensorsTests.File("{\"w\":{\"dtype\":\"F64\",\"shape\":[1,1]}}", Doubles(5)), target).Message);
    }

    [Fact]
    public void A_name_that_is_not_UTF8_is_refused_as_such()
    {
        byte[] header = [.. "{\""u8, 0xFF, .. "\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]}}"u8];
        var file = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        Assert.StartsWith("SafeTensors.Load: the header is not valid ", Refused(file, new("w", Tensor.Zeros<double>(1, 1))).Message);
    }

    [Fact]
    public void A_size_mismatch_after_the_first_tensor_states_the_span_of_its_own_offsets()
    {
        string header = "{" + Entry("a", "F64", "1,1", 0, 8) + "," + Entry("b", "F64", "2,1", 8, 16) + "}";
        Assert.Equal("SafeTensors.Load: 'b' has shape [2, 1] of F64 (16 bytes) but \"data_offsets\" [8, 16] span 8 bytes.",
            Refused(SafeTensorsTests.File(header, Doubles(1, 2)), new("a", Tensor.Zeros<double>(1, 1))).Message);
    }

    [Fact]
    public void Save_refuses_empty_reserved_and_repeated_names_and_writes_nothing()
    {
        var w = Tensor.Zeros<double>(1, 1);
        foreach (var names in new[] { new[] { "" }, new[] { "__metadata__" }, new[] { "w", "w" } })
        {
            var stream = new MemoryStream();
            var error = Assert.Throws<ArgumentException>(() => SafeTensors.Save<double>(stream, names.Select(n => new KeyValuePair<string, Tensor<double>>(n, w))));
            Assert.Equal("tensors", error.ParamName);
            Assert.StartsWith($"SafeTensors.Save: the name '{names[0]}' is empty, reserved or given twice.", error.Message);
            Assert.Equal(0, stream.Length);
        }
    }

    [Fact]
    public void A_name_with_a_surrogate_pair_round_trips()
    {
        string name = "w\ud83d\ude00";
        var stream = new MemoryStream();
        SafeTensors.Save<double>(stream, [new(name, Tensor.Full(1, 1, 3.0))]);
        var w = Tensor.Zeros<double>(1, 1);
        SafeTensors.Load<double>(new MemoryStream(stream.ToArray()), [new(name, w)]);
        Assert.Equal(3.0, w.Item);
    }

    [Fact]
    public void Save_flushes_a_buffered_stream_before_it_returns()
    {
        var inner = new MemoryStream();
        var buffered = new BufferedStream(inner, 1 << 16);
        SafeTensors.Save<double>(buffered, [new("w", Tensor.Full(1, 3, 2.0))]);
        var w = Tensor.Zeros<double>(1, 3);
        SafeTensors.Load<double>(new MemoryStream(inner.ToArray()), [new("w", w)]);
        Assert.Equal([2.0, 2.0, 2.0], w.ToFlatArray());
    }

    /// <summary>A stream that reads forward only.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A seekable stream whose <see cref="Length"/> is the whole file's but whose reads end after <c>readable</c> bytes.</summary>
    private sealed class ShortStream(byte[] file, int readable) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => file.Length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Max(0, Math.Min(count, readable - Position));
            Array.Copy(file, Position, buffer, offset, n);
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin == SeekOrigin.Begin ? offset : Position + offset;
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream of the given length: a header length, then zeros, with no memory behind it.</summary>
    private sealed class ZeroStream(long length, long headerLength) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - Position);
            Array.Clear(buffer, offset, n);
            for (int i = 0; i < n && Position + i < 8; i++)
            {
                buffer[offset + i] = (byte)(headerLength >> (int)(8 * (Position + i)));
            }
            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin == SeekOrigin.Begin ? offset : Position + offset;
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
