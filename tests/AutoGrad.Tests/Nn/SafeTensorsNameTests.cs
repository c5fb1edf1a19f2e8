using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// Names survive a save and load exactly, or Save refuses them: a name with a lone UTF-16 surrogate was written as
/// U+FFFD (UTF-8 cannot hold it), so the file could not be loaded back by the name it was saved under
/// (adversarial review, session nine). PyTorch's safetensors refuses it too (Python cannot encode it as UTF-8).
/// </summary>
public class SafeTensorsNameTests
{
    [Fact]
    public void A_name_with_a_lone_surrogate_is_refused_before_anything_is_written()
    {
        using var stream = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(stream, new[] { KeyValuePair.Create("w\ud800", Tensor.Ones<double>(1, 2)) }));
        Assert.StartsWith("SafeTensors.Save: the name \"w\\uD800\" holds a lone UTF-16 surrogate", error.Message);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Every_savable_name_loads_back_under_itself() =>
        Properties.Check(Arb.From(Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(chars => new string(chars))), name =>
        {
            var tensors = new[] { KeyValuePair.Create(name, Tensor.FromRowMajor<double>(1, 2, [1, 2])) };
            using var stream = new MemoryStream();
            try
            {
                SafeTensors.Save(stream, tensors);
            }
            catch (ArgumentException)
            {
                return; // empty, reserved or not well-formed: refused, nothing to load
            }
            stream.Position = 0;
            var target = Tensor.Zeros<double>(1, 2);
            SafeTensors.Load(stream, new[] { KeyValuePair.Create(name, target) });
            Assert.Equal(new double[] { 1, 2 }, target.ToFlatArray());
        });
}
