using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Issue 13 (polish13): a safetensors file of the other floating type loads, as PyTorch's <c>load_state_dict</c> copies
/// across dtypes — F32 into a double model exactly, F64 into a float model rounded once to the nearest float — and a
/// finite F64 value beyond float's range is refused, naming it, with nothing loaded.
/// </summary>
public class SafeTensorsDtypeTests
{
    private static MemoryStream Saved<T>(string name, Tensor<T> tensor) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        SafeTensors.Save(stream, [new KeyValuePair<string, Tensor<T>>(name, tensor)]);
        stream.Position = 0;
        return stream;
    }

    private static readonly Gen<double> Edges = Gen.Elements(
        0.0, -0.0, 1e-310, 1e-45, 1.401298464324817e-45, 0.1, -Math.PI, 1 + Math.Pow(2, -24), 1 + 3 * Math.Pow(2, -24),
        3.4028234663852886e38, 3.402823567797336e38, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 123456789.123456789);

    [Fact]
    public void A_float_file_loads_into_a_double_model_exactly() =>
        Properties.Check(Gens.AnyMatrix(Edges), m =>
        {
            var floats = m.ToFloatTensor();
            var target = Tensor.Zeros<double>(m.Rows, m.Cols, requiresGrad: true);
            SafeTensors.Load<double>(Saved("w", floats), [new("w", target)]);
            Assert.Equal(floats.ToFlatArray().Select(f => BitConverter.DoubleToInt64Bits(f)), target.ToFlatArray().Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(1, target.Version);
        });

    [Fact]
    public void A_double_file_loads_into_a_float_model_rounded_once_to_the_nearest_float() =>
        Properties.Check(Gens.AnyMatrix(Edges), m =>
        {
            var doubles = m.ToTensor(requiresGrad: false);
            var target = Tensor.Zeros<float>(m.Rows, m.Cols);
            SafeTensors.Load<float>(Saved("w", doubles), [new("w", target)]);
            // (float)d is IEEE round-to-nearest-even, one rounding; 1 + 2^-24 is a tie that goes to 1, 1 + 3·2^-24 to 1 + 2^-22
            Assert.Equal(m.Values.Select(d => BitConverter.SingleToInt32Bits((float)d)), target.ToFlatArray().Select(BitConverter.SingleToInt32Bits));
        });

    [Fact]
    public void Rounding_is_to_nearest_with_ties_to_even_as_PyTorch_copies()
    {
        // torch.tensor([1 + 2**-24, 1 + 3 * 2**-24, 0.1, 3.402823567797336e38], dtype=torch.float64).float()
        // gives [1.0, 1.000000238418579, 0.10000000149011612, 3.4028234663852886e38] (PyTorch 1.13); the last is the
        // largest double below the midpoint between float's largest value and 2^128, which PyTorch makes inf
        var doubles = Tensor.From(new[] { 1 + Math.Pow(2, -24), 1 + 3 * Math.Pow(2, -24), 0.1, 3.402823567797336e38 });
        var target = Tensor.Zeros<float>(doubles.Rows, doubles.Cols);
        SafeTensors.Load<float>(Saved("w", doubles), [new("w", target)]);
        Assert.Equal([1.0f, 1.000000238418579f, 0.10000000149011612f, float.MaxValue], target.ToFlatArray());
        var midpoint = Tensor.From(new[] { 3.4028235677973366e38 });
        Assert.Contains("element 0 is 3.4028235677973366E+38, beyond the largest Single",
            Assert.Throws<InvalidDataException>(() => SafeTensors.Load<float>(Saved("m", midpoint), [new("m", Tensor.Zeros<float>(1, 1))])).Message);
    }

    [Fact]
    public void A_finite_double_beyond_floats_range_is_refused_naming_it_and_nothing_is_loaded()
    {
        var stream = new MemoryStream();
        SafeTensors.Save(stream, [new KeyValuePair<string, Tensor<double>>("a", Tensor.Full(1, 2, 2.0)), new("b", Tensor.From(new[] { 1.0, -1e300 }))]);
        var a = Tensor.Zeros<float>(1, 2);
        var b = Tensor.Zeros<float>(2, 1);
        stream.Position = 0;
        var refused = Assert.Throws<InvalidDataException>(() => SafeTensors.Load<float>(stream, [new("a", a), new("b", b)]));
        Assert.Equal("SafeTensors.Load: 'b' is stored as F64 and its element 1 is -1E+300, beyond the largest Single (3.4028235E+38); " +
            "load it into a double tensor.", refused.Message);
        Assert.Equal([0f, 0f], a.ToFlatArray());
        Assert.Equal([0f, 0f], b.ToFlatArray());
        Assert.Equal(0, a.Version);
    }
}
