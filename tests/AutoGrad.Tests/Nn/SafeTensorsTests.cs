using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>Save and load in the safetensors format: exact round trips, the file layout, and refusals that change nothing.</summary>
public class SafeTensorsTests
{
    private static Mlp<double> Model(int seed) => new([3, 4, 2], Activation.Tanh, new Random(seed));

    private static byte[] Saved<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> tensors) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors);
        return stream.ToArray();
    }

    /// <summary>A file with the given JSON header (padded to 8 bytes) and data.</summary>
    internal static byte[] File(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    private static double[][] Values(Module<double> model) => model.Parameters.Select(p => p.ToFlatArray()).ToArray();

    private static InvalidDataException Refused(byte[] file, Module<double> model)
    {
        double[][] before = Values(model);
        int[] versions = model.Parameters.Select(p => p.Version).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(file), model.NamedParameters()));
        Assert.Equal(before, Values(model));
        Assert.Equal(versions, model.Parameters.Select(p => p.Version));
        return error;
    }

    [Fact]
    public void Every_double_and_float_survives_a_round_trip_to_the_bit() =>
        Properties.Check(Gens.AnyMatrix(Gen.Elements(0.0, -0.0, 1e-310, double.MaxValue, double.NaN, double.NegativeInfinity, Math.PI, -1.5e-7)), m =>
        {
            var source = m.ToTensor(name: "source");
            var target = Tensor.Zeros<double>(m.Rows, m.Cols, requiresGrad: true);
            SafeTensors.Load<double>(new MemoryStream(Saved([new KeyValuePair<string, Tensor<double>>("x", source)])), [new("x", target)]);
            Assert.Equal(m.Values.Select(BitConverter.DoubleToInt64Bits), target.ToFlatArray().Select(BitConverter.DoubleToInt64Bits));
            Assert.True(target.RequiresGrad && target.Version == 1);

            var floats = m.ToFloatTensor();
            var floatTarget = Tensor.Zeros<float>(m.Rows, m.Cols);
            SafeTensors.Load<float>(new MemoryStream(Saved([new KeyValuePair<string, Tensor<float>>("f", floats)])), [new("f", floatTarget)]);
            Assert.Equal(floats.ToFlatArray().Select(BitConverter.SingleToInt32Bits), floatTarget.ToFlatArray().Select(BitConverter.SingleToInt32Bits));
        });

    [Fact]
    public void A_saved_model_loads_into_another_with_every_parameter_exact()
    {
        var trained = Model(1);
        var fresh = Model(2);
        string path = Path.Combine(Path.GetTempPath(), $"autograd-{Guid.NewGuid():N}.safetensors");
        try
        {
            trained.Save(path);
            fresh.Load(path);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
        Assert.Equal(Values(trained), Values(fresh));
    }

    [Fact]
    public void The_file_is_an_8_byte_length_a_JSON_header_and_little_endian_data_on_an_8_byte_boundary()
    {
        var w = Tensor.From(new double[,] { { 1.5, -2 } });
        var b = Tensor.From(new float[,] { { 3 } });
        byte[] file = Saved([new KeyValuePair<string, Tensor<double>>("layer.w", w)]);
        long n = BinaryPrimitives.ReadInt64LittleEndian(file);
        Assert.Equal(0, (8 + n) % 8);
        using var header = JsonDocument.Parse(file.AsMemory(8, (int)n));
        var entry = header.RootElement.GetProperty("layer.w");
        Assert.Equal("F64", entry.GetProperty("dtype").GetString());
        Assert.Equal([1, 2], entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 16], entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(8 + n + 16, file.Length);
        Assert.Equal(1.5, BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan((int)(8 + n))));
        byte[] floatFile = Saved([new KeyValuePair<string, Tensor<float>>("b", b)]);
        Assert.Contains("\"dtype\":\"F32\"", Encoding.UTF8.GetString(floatFile, 8, (int)BinaryPrimitives.ReadInt64LittleEndian(floatFile)));
    }

    [Fact]
    public void A_PyTorch_style_file_with_one_dimensional_biases_and_metadata_loads()
    {
        var layer = new Linear<double>(2, 3, new Random(0));
        var data = new byte[9 * 8];
        for (int i = 0; i < 9; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), i + 0.25);
        }
        byte[] file = File("""{"__metadata__":{"format":"pt"},"bias":{"dtype":"F64","shape":[3],"data_offsets":[48,72]},"weight":{"dtype":"F64","shape":[3,2],"data_offsets":[0,48]}}""", data);
        SafeTensors.Load(new MemoryStream(file), layer.NamedParameters());
        Assert.Equal([0.25, 1.25, 2.25, 3.25, 4.25, 5.25], layer.Weight.ToFlatArray());
        Assert.Equal([6.25, 7.25, 8.25], layer.Bias!.ToFlatArray());
    }

    [Fact]
    public void A_missing_name_an_extra_name_a_wrong_shape_and_a_wrong_dtype_are_refused_and_change_nothing()
    {
        var model = Model(3);
        var saved = Model(4).NamedParameters();
        Assert.Equal("SafeTensors.Load: the file has no tensor named '1.bias' (it has '0.weight', '0.bias', '1.weight').",
            Refused(Saved(saved.Take(3)), model).Message);
        Assert.Equal("SafeTensors.Load: the file has tensors that are not being loaded: 'extra'.",
            Refused(Saved(saved.Append(new("extra", Tensor.Zeros<double>(1, 1)))), model).Message);
        Assert.Equal("SafeTensors.Load: '1.bias' has shape [2, 1] in the file but the tensor is 1×2.",
            Refused(Saved(saved.Take(3).Append(new("1.bias", Tensor.Zeros<double>(2, 1))).ToList()), model).Message);
        var half = Tensor.Zeros<double>(1, 1);
        var f16 = Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(
            new MemoryStream(File("""{"a":{"dtype":"F16","shape":[1,1],"data_offsets":[0,2]}}""", new byte[2])), [new("a", half)]));
        Assert.Equal("SafeTensors.Load: 'a' is stored as F16 but the tensor is Double (F64); F64 and F32 can be loaded into either.", f16.Message);
        Assert.Equal(0, half.Version);
    }

    [Fact]
    public void A_truncated_file_is_refused_wherever_it_is_cut_and_changes_nothing()
    {
        var model = Model(5);
        byte[] file = Saved(Model(6).NamedParameters());
        long headerEnd = 8 + BinaryPrimitives.ReadInt64LittleEndian(file);
        foreach (int length in new[] { 0, 5, 8, 20, (int)headerEnd, (int)headerEnd + 8, file.Length - 1 })
        {
            string message = Refused(file[..length], model).Message;
            Assert.True(message.Contains("truncated") || message.Contains("8-byte header length"), $"cut at {length}: {message}");
        }
    }

    public static TheoryData<string, string, int> MalformedHeaders => new()
    {
        { """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1,1],"data_offsets":[4,12]}}""", "overlaps another tensor's", 16 },
        { """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1,1],"data_offsets":[16,24]}}""", "there is a gap in the data before 'b'", 24 },
        { """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}""", "bytes at the end belong to no tensor", 16 },
        { """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}""", "has 4 bytes of data: it is truncated", 4 },
        { """{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", "whose size overflows", 8 },
        { """{"a":{"dtype":"F64","shape":[2,1],"data_offsets":[0,8]}}""", "(16 bytes) but \"data_offsets\" [0, 8] span 8 bytes", 8 },
        { """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[8,0]}}""", "it must be [begin, end] with begin ≤ end", 8 },
        { """{"a":{"dtype":"F64","shape":[-1,1],"data_offsets":[0,8]}}""", "\"shape\" entry -1; it must be a non-negative integer", 8 },
        { """{"a":{"dtype":"F64","shape":[1.5,1],"data_offsets":[0,8]}}""", "\"shape\" entry 1.5", 8 },
        { """{"a":{"dtype":"Q7","shape":[1,1],"data_offsets":[0,8]}}""", "unknown dtype \"Q7\"", 8 },
        { """{"a":{"shape":[1,1],"data_offsets":[0,8]}}""", "'a' has no \"dtype\" string", 8 },
        { """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"a":{"dtype":"F64","shape":[1,1],"data_offsets":[8,16]}}""", "names 'a' twice", 16 },
        { """{"__metadata__":{"k":1},"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}""", "must be an object of strings", 8 },
        { """[1, 2]""", "is a JSON Array, not an object", 8 },
        { """{"a":""", "not valid JSON", 8 },
        { """{"a":{"dtype":"F64","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,8]}}""", "at most 8 are allowed", 8 },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void A_malformed_header_is_refused_with_what_is_wrong(string header, string expected, int dataBytes)
    {
        var target = Tensor.Zeros<double>(1, 1, requiresGrad: true);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(new MemoryStream(File(header, new byte[dataBytes])), [new("a", target)]));
        Assert.Contains(expected, error.Message);
        Assert.Equal(0.0, target.Item);
    }

    [Fact]
    public void A_header_length_beyond_the_file_or_over_the_limit_is_refused_before_anything_is_allocated()
    {
        var target = Tensor.Zeros<double>(1, 1);
        var file = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        Assert.Contains("header length 18446744073709551615 runs past the end of the file (64 bytes)",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(new MemoryStream(file), [new("a", target)])).Message);

        // A stream that claims 8 GiB and a 4 GiB header: refused by the limit, having read 8 bytes and allocated almost nothing.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Load<double>(new HugeStream(8L << 30, 4UL << 30), [new("a", target)]));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
        Assert.Equal($"SafeTensors.Load: the header length {4UL << 30} is over the limit of {SafeTensors.MaxHeaderBytes} bytes.", error.Message);
    }

    [Fact]
    public void Mutated_files_either_load_or_are_refused_with_InvalidDataException_and_change_nothing()
    {
        byte[] valid = Saved(Model(7).NamedParameters());
        var mutation = Gen.OneOf(
            Gen.Choose(0, valid.Length - 1).Zip(Gen.Choose(0, 255)).Select(c => (Kind: "set", At: c.Item1, Value: c.Item2)),
            Gen.Choose(0, 60).Zip(Gen.Elements(0, 255)).Select(c => (Kind: "set", At: c.Item1, Value: c.Item2)), // the length and the start of the header
            Gen.Choose(0, valid.Length - 1).Select(at => (Kind: "cut", At: at, Value: 0)),
            Gen.Choose(8, valid.Length - 1).Zip(Gen.Choose(0, 255)).Select(c => (Kind: "insert", At: c.Item1, Value: c.Item2)));
        Properties.Check(mutation.ListOf().Select(l => l.ToArray()).ToArbitrary(), mutations =>
        {
            var bytes = valid.ToList();
            foreach (var (kind, at, value) in mutations)
            {
                int index = Math.Min(at, Math.Max(0, bytes.Count - 1));
                if (kind == "set" && bytes.Count > 0) bytes[index] = (byte)value;
                else if (kind == "cut") bytes.RemoveRange(index, bytes.Count - index);
                else if (kind == "insert") bytes.Insert(index, (byte)value);
            }
            var model = Model(8);
            double[][] before = Values(model);
            try
            {
                SafeTensors.Load(new MemoryStream(bytes.ToArray()), model.NamedParameters());
            }
            catch (InvalidDataException)
            {
                Assert.Equal(before, Values(model));
            }
        }, cases: 500);
    }

    /// <summary>A read-only stream of the given length that starts with a header length and then reads as zeros, without any memory behind it.</summary>
    private sealed class HugeStream(long length, ulong headerLength) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int count = (int)Math.Min(buffer.Length, length - Position);
            buffer[..count].Clear();
            for (int i = 0; i < count; i++)
            {
                if (Position + i < 8) buffer[i] = (byte)(headerLength >> (int)(8 * (Position + i)));
            }
            Position += count;
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
