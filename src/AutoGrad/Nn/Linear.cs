using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// A fully connected layer on a batch of rows: <c>Z = X · Wᵀ + b</c>, with X of shape N×in, the weight W of
/// shape out×in (as in the notes' W[1] ∈ ℝ^(n1×n0), and PyTorch) and the bias b a 1×out row broadcast over the batch.
/// A single example is a 1×in row. Its parameters are named "weight" and "bias", as in PyTorch.
/// </summary>
public sealed class Linear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a layer with weights and bias drawn uniformly from ±1/√in (PyTorch's default), seeded by <paramref name="random"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (inFeatures < 1 || outFeatures < 1)
        {
            throw new ArgumentOutOfRangeException(inFeatures < 1 ? nameof(inFeatures) : nameof(outFeatures), string.Create(CultureInfo.InvariantCulture, $"Linear: sizes must be positive; got in {inFeatures}, out {outFeatures}."));
        }
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = Tensor.RandomUniform<T>(outFeatures, inFeatures, random, -bound, bound, requiresGrad: true, name: name is null ? "W" : $"W_{name}");
        Bias = bias ? Tensor.RandomUniform<T>(1, outFeatures, random, -bound, bound, requiresGrad: true, name: name is null ? "b" : $"b_{name}") : null;
    }

    /// <summary>Creates a layer from given parameters (weight out×in, bias 1×out or null).</summary>
    public Linear(Tensor<T> weight, Tensor<T>? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (bias is not null && bias.Shape != new Shape(1, weight.Rows))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Linear: the bias must be 1×{weight.Rows} for a {weight.Shape} weight; got {bias.Shape}."), nameof(bias));
        }
        Tensor<T>.RefuseDisposed("Linear", weight, bias); // parameters whose memory another tensor now uses
        Weight = weight;
        Bias = bias;
    }

    /// <summary>The weight, out×in.</summary>
    public Tensor<T> Weight { get; }

    /// <summary>The bias, 1×out, or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>Number of input features.</summary>
    public int InFeatures => Weight.Cols;

    /// <summary>Number of output features.</summary>
    public int OutFeatures => Weight.Rows;

    /// <summary>"Linear 4→8, weight 8×4", for the messages of the networks that hold this layer.</summary>
    internal string Description => string.Create(CultureInfo.InvariantCulture, $"Linear {InFeatures}→{OutFeatures}, weight {Weight.Shape}");

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Tensor<T>>> OwnParameters() =>
        Bias is null ? [new("weight", Weight)] : [new("weight", Weight), new("bias", Bias)];

    /// <summary><c>X · Wᵀ + b</c> for a batch X of shape N×in.</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Cols != InFeatures)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Linear: the input is {input.Shape} but the layer takes {InFeatures} features per row (weight {Weight.Shape})."), nameof(input));
        }
        Tensor<T>.RefuseDisposed("Linear.Forward", input, Weight); // named here: the product below would say MatMul
        Tensor<T> z = Tensor<T>.MatMul(input, Weight, transposeA: false, transposeB: true);
        return Bias is null ? z : z + Bias;
    }
}
