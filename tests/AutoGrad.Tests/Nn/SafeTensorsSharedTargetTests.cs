using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// SafeTensors.Load refuses one tensor given under two names (or two that share their values through Detach()):
/// before, both names were loaded into it and the later silently won. The refusal names both names and changes nothing.
/// </summary>
public class SafeTensorsSharedTargetTests
{
    private static MemoryStream FileWithAAndB()
    {
        var stream = new MemoryStream();
        SafeTensors.Save<double>(stream, [new("a", Tensor.From(new[,] { { 1.0, 2.0 } })), new("b", Tensor.From(new[,] { { 3.0, 4.0 } }))]);
        stream.Position = 0;
        return stream;
    }

    private static void AssertRefusedAndUnchanged(Tensor<double> target, KeyValuePair<string, Tensor<double>>[] targets)
    {
        double[] before = target.ToFlatArray();
        int version = target.Version;
        var error = Assert.Throws<ArgumentException>(() => SafeTensors.Load(FileWithAAndB(), targets));
        Assert.StartsWith("SafeTensors.Load: 'a' and 'b' are the same tensor, ", error.Message);
        Assert.Contains("each tensor can be loaded from one name only", error.Message);
        Assert.Equal("tensors", error.ParamName);
        Assert.Equal(before, target.ToFlatArray());
        Assert.Equal(version, target.Version);
    }

    [Fact]
    public void Load_refuses_one_tensor_under_two_names_by_name_and_changes_nothing()
    {
        var w = Tensor.From(new[,] { { 9.0, 9.0 } }, requiresGrad: true);
        AssertRefusedAndUnchanged(w, [new("a", w), new("b", w)]);
    }

    [Fact]
    public void Load_refuses_a_tensor_and_its_detached_view_under_two_names()
    {
        var w = Tensor.From(new[,] { { 9.0, 9.0 } }, requiresGrad: true);
        AssertRefusedAndUnchanged(w, [new("a", w), new("b", w.Detach())]);
    }

    [Fact]
    public void Load_fills_two_distinct_tensors_of_equal_values()
    {
        var a = Tensor.From(new[,] { { 9.0, 9.0 } });
        var b = Tensor.From(new[,] { { 9.0, 9.0 } });
        SafeTensors.Load<double>(FileWithAAndB(), [new("a", a), new("b", b)]);
        Assert.Equal([1.0, 2.0], a.ToFlatArray());
        Assert.Equal([3.0, 4.0], b.ToFlatArray());
    }
}
