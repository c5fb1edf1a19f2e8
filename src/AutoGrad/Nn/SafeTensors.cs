using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AutoGrad.Nn;

/// <summary>
/// Saves and loads named tensors in the safetensors format, which PyTorch, JAX and other tools read: an 8-byte
/// little-endian header length n, n bytes of UTF-8 JSON <c>{"name": {"dtype": "F64", "shape": [rows, cols],
/// "data_offsets": [begin, end]}, …}</c> (optionally with a <c>"__metadata__"</c> object of strings), then the raw
/// little-endian values, each tensor at [begin, end) of the data that follows the header.
/// <para>
/// A file is untrusted input. <see cref="Load{T}(Stream, IEnumerable{KeyValuePair{string, Tensor{T}}})"/> checks the
/// header length against the file and a limit (<see cref="MaxHeaderBytes"/>) before reading it, every shape for
/// overflow, every byte range for lying inside the data with no overlap and no gap, the dtype against
/// the element type, and every name and shape against the tensors to fill — all before writing anything, so a
/// refused file leaves every tensor as it was. Everything wrong with a file is an <see cref="InvalidDataException"/>.
/// </para>
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header accepted, 16 MiB: a header line per tensor is ~100 bytes, so this is ~160,000 tensors.</summary>
    public const int MaxHeaderBytes = 16 << 20;

    private const string Metadata = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> to a new file at <paramref name="path"/> (replacing any).</summary>
    public static void Save<T>(string path, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        var list = CheckForSave(tensors);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, list);
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/>, in the order given, each as a 2-D array.</summary>
    public static void Save<T>(Stream stream, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        Write(stream, CheckForSave(tensors));
    }

    /// <summary>Fills <paramref name="tensors"/> from the file at <paramref name="path"/>; see <see cref="Load{T}(Stream, IEnumerable{KeyValuePair{string, Tensor{T}}})"/>.</summary>
    public static void Load<T>(string path, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Load(stream, tensors);
    }

    /// <summary>
    /// Fills each of <paramref name="tensors"/> (leaves; written as under <see cref="Tensor.NoGrad"/>, bumping their
    /// versions) with the values stored under its name. The file must hold exactly these names, each stored as F64 or
    /// F32, with each tensor's shape (or, for a row or column vector, the 1-D shape [n] PyTorch gives a bias). A dtype
    /// other than <typeparamref name="T"/>'s is converted, as PyTorch's <c>load_state_dict</c> copies across dtypes: F32
    /// into double exactly (every float is a double); F64 into float rounded once to the nearest float (ties to even),
    /// a finite value beyond float's range refused rather than made infinite. Throws <see cref="InvalidDataException"/> naming the problem, having
    /// changed nothing, if the file is malformed or does not fit, and <see cref="ArgumentException"/> naming both names,
    /// having read nothing, if one tensor (or two sharing their values through <c>Detach()</c>) is given under two names.
    /// </summary>
    public static void Load<T>(Stream stream, IEnumerable<KeyValuePair<string, Tensor<T>>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("SafeTensors.Load: the stream must be readable and seekable (its length is checked against the header).", nameof(stream));
        }
        var targets = new Dictionary<string, Tensor<T>>(StringComparer.Ordinal);
        var nameOfStorage = new Dictionary<T[], string>(ReferenceEqualityComparer.Instance); // one target per array
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (!targets.TryAdd(name, tensor))
            {
                throw new ArgumentException($"SafeTensors.Load: the name '{name}' is given twice.", nameof(tensors));
            }
            if (tensor.IsDisposed)
            {
                throw new ArgumentException($"SafeTensors.Load: '{name}' was created inside a TensorScope that has ended; it cannot be loaded into.", nameof(tensors));
            }
            if (!nameOfStorage.TryAdd(tensor.Data, name))
            {
                // the second load would overwrite the first silently, whichever the file gives first
                throw new ArgumentException(
                    $"SafeTensors.Load: '{nameOfStorage[tensor.Data]}' and '{name}' are the same tensor, {tensor.Describe()} (or share its values " +
                    "through Detach()); each tensor can be loaded from one name only.", nameof(tensors));
            }
            if (!tensor.IsLeaf)
            {
                throw new ArgumentException($"SafeTensors.Load: '{name}', {tensor.Describe()}, is a recorded result; only leaves can be loaded into.", nameof(tensors));
            }
        }

        long start = stream.Position;
        long fileBytes = stream.Length - start;
        Dictionary<string, Entry> entries = ReadHeader(stream, fileBytes, out long dataStart);
        string dtype = DType<T>();
        foreach (var (name, tensor) in targets)
        {
            if (!entries.TryGetValue(name, out Entry entry))
            {
                throw Invalid($"the file has no tensor named '{name}' (it has {Names(entries.Keys)}).");
            }
            if (entry.DType is not ("F64" or "F32"))
            {
                throw Invalid($"'{name}' is stored as {entry.DType} but the tensor is {typeof(T).Name} ({dtype}); F64 and F32 can be loaded into either.");
            }
            if (!ShapeFits(entry.Shape, tensor.Shape))
            {
                throw Invalid($"'{name}' has shape [{Joined(entry.Shape)}] in the file but the tensor is {tensor.Shape}.");
            }
        }
        var extra = entries.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        if (extra.Count > 0)
        {
            throw Invalid($"the file has tensors that are not being loaded: {Names(extra)}.");
        }

        // Every check passed; read every tensor before writing any, so a read error leaves all of them untouched.
        var values = new List<(Tensor<T> Target, T[] Values)>(targets.Count);
        foreach (var (name, tensor) in targets)
        {
            Entry entry = entries[name];
            stream.Position = start + dataStart + entry.Begin;
            T[] buffer = entry.DType == dtype ? ReadStored<T>(stream, name, tensor.Length)
                : entry.DType == "F32" ? Widened<T>(ReadStored<float>(stream, name, tensor.Length))
                : Narrowed<T>(ReadStored<double>(stream, name, tensor.Length), name);
            values.Add((tensor, buffer));
        }
        using (Tensor.NoGrad())
        {
            foreach (var (target, buffer) in values)
            {
                target.CopyFrom(buffer);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> values of type <typeparamref name="TStored"/> in the file, little-endian.</summary>
    private static TStored[] ReadStored<TStored>(Stream stream, string name, int count) where TStored : unmanaged
    {
        var buffer = new TStored[count];
        try
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(buffer.AsSpan()));
        }
        catch (EndOfStreamException e)
        {
            throw Invalid($"the file ends inside the data of '{name}': it is truncated.", e);
        }
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(buffer);
        }
        return buffer;
    }

    /// <summary>F32 values for a double tensor: each exactly (every float is a double).</summary>
    private static T[] Widened<T>(float[] stored) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[stored.Length];
        for (int i = 0; i < stored.Length; i++)
        {
            values[i] = T.CreateChecked(stored[i]);
        }
        return values;
    }

    /// <summary>
    /// F64 values for a float tensor: each rounded once to the nearest float (ties to even), as PyTorch's copy does;
    /// a finite value that would round to ±∞ is refused, naming it — a changed number, not a rounded one.
    /// </summary>
    private static T[] Narrowed<T>(double[] stored, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[stored.Length];
        for (int i = 0; i < stored.Length; i++)
        {
            T value = T.CreateChecked(stored[i]);
            if (T.IsInfinity(value) && double.IsFinite(stored[i]))
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"'{name}' is stored as F64 and its element {i} is {stored[i]:R}, beyond the largest {typeof(T).Name} ({LargestFinite<T>()}); load it into a double tensor."));
            }
            values[i] = value;
        }
        return values;
    }

    /// <summary>The largest finite value of <typeparamref name="T"/>.</summary>
    private static T LargestFinite<T>() where T : unmanaged, IFloatingPointIeee754<T> => T.BitDecrement(T.PositiveInfinity);

    /// <summary>"F64" or "F32".</summary>
    private static string DType<T>() => typeof(T) == typeof(double) ? "F64" : "F32";

    private static bool ShapeFits(long[] stored, Shape shape) => stored.Length switch
    {
        2 => stored[0] == shape.Rows && stored[1] == shape.Cols,
        1 => (shape.Rows == 1 || shape.Cols == 1) && stored[0] == shape.Length,
        0 => shape.Length == 1,
        _ => false,
    };

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Take(11).Select(n => $"'{n}'").ToList();
        return list.Count == 0 ? "no tensors" : list.Count > 10 ? string.Join(", ", list.Take(10)) + ", …" : string.Join(", ", list);
    }

    private static InvalidDataException Invalid(string message, Exception? inner = null) => new("SafeTensors.Load: " + message, inner);

    /// <summary>Whole numbers joined with ", ", written the same in every culture.</summary>
    private static string Joined(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private readonly record struct Entry(string DType, long[] Shape, long Begin, long End);

    private static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U64"] = 8, ["U32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Reads and checks the header; on return the stream is anywhere, and <paramref name="dataStart"/> is where the data begins.</summary>
    private static Dictionary<string, Entry> ReadHeader(Stream stream, long fileBytes, out long dataStart)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileBytes < 8 || stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"the file has {fileBytes} bytes; it must start with an 8-byte header length."));
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileBytes - 8))
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"the header length {headerLength} runs past the end of the file ({fileBytes} bytes): the file is truncated or not safetensors."));
        }
        if (headerLength > MaxHeaderBytes)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"the header length {headerLength} is over the limit of {MaxHeaderBytes} bytes."));
        }
        if (headerLength < 2)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"the header length {headerLength} is too short for a JSON object."));
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        dataStart = 8 + (long)headerLength;
        long dataBytes = fileBytes - dataStart;

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"the header is a JSON {document.RootElement.ValueKind}, not an object.");
            }
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == Metadata)
                {
                    CheckMetadata(property.Value);
                }
                else if (!entries.TryAdd(property.Name, ParseEntry(property.Name, property.Value)))
                {
                    throw Invalid($"the header names '{property.Name}' twice.");
                }
            }
        }
        catch (JsonException e)
        {
            throw Invalid($"the header is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) // a name that is not valid UTF-8 or UTF-16
        {
            throw Invalid($"the header is not valid UTF-8 JSON: {e.Message}", e);
        }

        long expectedBegin = 0;
        foreach (var (name, entry) in entries.OrderBy(e => e.Value.Begin).ThenBy(e => e.Value.End))
        {
            if (entry.End > dataBytes)
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"the data of '{name}' is at bytes [{entry.Begin}, {entry.End}) but the file has {dataBytes} bytes of data: it is truncated."));
            }
            if (entry.Begin != expectedBegin)
            {
                throw Invalid(entry.Begin < expectedBegin
                    ? string.Create(CultureInfo.InvariantCulture, $"the data of '{name}' at [{entry.Begin}, {entry.End}) overlaps another tensor's (which ends at {expectedBegin}).")
                    : string.Create(CultureInfo.InvariantCulture, $"there is a gap in the data before '{name}' (bytes [{expectedBegin}, {entry.Begin}) belong to no tensor)."));
            }
            expectedBegin = entry.End;
        }
        if (expectedBegin != dataBytes)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"the tensors cover {expectedBegin} bytes of data but the file has {dataBytes}: bytes at the end belong to no tensor."));
        }
        return entries;
    }

    private static void CheckMetadata(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object || metadata.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            throw Invalid("\"__metadata__\" must be an object of strings.");
        }
    }

    private static Entry ParseEntry(string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"the entry of '{name}' is a JSON {element.ValueKind}, not an object.");
        }
        if (!element.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"'{name}' has no \"dtype\" string.");
        }
        string dtype = dtypeElement.GetString()!;
        if (!ElementSizes.TryGetValue(dtype, out int elementSize))
        {
            throw Invalid($"'{name}' has the unknown dtype \"{dtype}\".");
        }
        long[] shape = Integers(name, element, "shape", maxCount: 8);
        long[] offsets = Integers(name, element, "data_offsets", maxCount: 2);
        if (offsets.Length != 2 || offsets[1] < offsets[0])
        {
            throw Invalid($"'{name}' has \"data_offsets\" [{Joined(offsets)}]; it must be [begin, end] with begin ≤ end.");
        }
        long bytes = elementSize;
        foreach (long dimension in shape)
        {
            if (!TryMultiply(bytes, dimension, out bytes))
            {
                throw Invalid($"'{name}' has shape [{Joined(shape)}], whose size overflows.");
            }
        }
        if (bytes != offsets[1] - offsets[0])
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"'{name}' has shape [{Joined(shape)}] of {dtype} ({bytes} bytes) but \"data_offsets\" [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]} bytes."));
        }
        return new Entry(dtype, shape, offsets[0], offsets[1]);
    }

    private static bool TryMultiply(long a, long b, out long product)
    {
        try
        {
            product = checked(a * b);
            return true;
        }
        catch (OverflowException)
        {
            product = 0;
            return false;
        }
    }

    private static long[] Integers(string name, JsonElement entry, string field, int maxCount)
    {
        if (!entry.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"'{name}' has no \"{field}\" array.");
        }
        int count = array.GetArrayLength();
        if (count > maxCount)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"'{name}' has a \"{field}\" of {count} numbers; at most {maxCount} are allowed."));
        }
        var result = new long[count];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw Invalid($"'{name}' has \"{field}\" entry {item.GetRawText()}; it must be a non-negative integer.");
            }
            result[i++] = value;
        }
        return result;
    }

    private static List<KeyValuePair<string, Tensor<T>>> CheckForSave<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in list)
        {
            if (string.IsNullOrEmpty(name) || name == Metadata || !names.Add(name))
            {
                throw new ArgumentException($"SafeTensors.Save: the name '{name}' is empty, reserved or given twice.", nameof(tensors));
            }
            if (!IsWellFormed(name))
            {
                // UTF-8 has no form for a lone surrogate: the writer put U+FFFD in its place, so the file named another
                // tensor than the one saved and loading it by the same name failed ("no tensor named '\ud800'")
                throw new ArgumentException($"SafeTensors.Save: the name \"{string.Concat(name.Select(c => char.IsSurrogate(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString()))}\" holds a lone UTF-16 surrogate, which UTF-8 (the header's encoding) cannot hold.", nameof(tensors));
            }
            ArgumentNullException.ThrowIfNull(tensor, name);
            _ = tensor.AsSpan(); // a disposed tensor throws here, before the file is written
        }
        return list;
    }

    /// <summary>True when every surrogate of <paramref name="name"/> is half of a pair (the string has a UTF-8 form).</summary>
    private static bool IsWellFormed(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static void Write<T>(Stream stream, List<KeyValuePair<string, Tensor<T>>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int elementSize = typeof(T) == typeof(double) ? 8 : 4;
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", DType<T>());
                writer.WriteStartArray("shape");
                writer.WriteNumberValue(tensor.Rows);
                writer.WriteNumberValue(tensor.Cols);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += (long)tensor.Length * elementSize;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // pad the header with spaces so the data starts on an 8-byte boundary, as the format recommends
        int padding = (int)((8 - json.Length % 8) % 8);
        json.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        json.Position = 0;
        json.CopyTo(stream);
        foreach (var (_, tensor) in tensors)
        {
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.AsSpan()));
            }
            else
            {
                T[] copy = tensor.ToFlatArray();
                ReverseEndianness(copy);
                stream.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
            }
        }
        stream.Flush();
    }

    private static void ReverseEndianness<T>(T[] values) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            var longs = MemoryMarshal.Cast<T, long>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(longs, longs);
        }
        else
        {
            var ints = MemoryMarshal.Cast<T, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(ints, ints);
        }
    }
}
