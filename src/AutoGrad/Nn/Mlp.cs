using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// A multi-layer perceptron: a stack of <see cref="Linear{T}"/> layers, each followed by its own activation.
/// <c>new Mlp&lt;double&gt;([2, 8, 1], [Activation.Sigmoid, Activation.Sigmoid], new Random(0))</c> is a
/// 2-8-1 network with sigmoid hidden and output layers; <c>new Mlp&lt;double&gt;([64, 32, 10], Activation.Relu, new Random(0))</c>
/// has ReLU hidden layers and a linear output (logits). Its layers are named "0", "1", …, so its parameters are
/// "0.weight", "0.bias", "1.weight", …
/// </summary>
public sealed class Mlp<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T>[] layers;
    private readonly Activation[] activations;

    /// <summary>Builds the network.</summary>
    /// <param name="sizes">Layer widths from input to output; at least two.</param>
    /// <param name="activations">One activation per layer (sizes.Length − 1 of them).</param>
    /// <param name="random">Seeds the initial weights.</param>
    /// <param name="bias">Whether the layers have biases.</param>
    public Mlp(IReadOnlyList<int> sizes, IReadOnlyList<Activation> activations, Random random, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(activations);
        // each refusal names the parameter that is wrong (adv16: both were an ArgumentException naming none, and the
        // one-activation form reported "0 activations" its caller never passed)
        if (sizes.Count < 2)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Mlp: need at least two sizes (the input width and the output width); got {sizes.Count}."), nameof(sizes));
        }
        if (activations.Count != sizes.Count - 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Mlp: {sizes.Count} sizes make {sizes.Count - 1} layers, which need one activation each ({sizes.Count - 1}); got {activations.Count}."), nameof(activations));
        }
        // everything checked before the first layer draws from the caller's Random: a refused call changes nothing
        for (int i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Mlp: every size must be at least 1; size {i} is {sizes[i]} (sizes {string.Join(", ", sizes.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)))})."));
            }
        }
        for (int i = 0; i < activations.Count; i++)
        {
            if (!Enum.IsDefined(activations[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(activations), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Mlp: activation {i} is {(int)activations[i]}, not an Activation."));
            }
        }
        layers = new Linear<T>[sizes.Count - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = new Linear<T>(sizes[l], sizes[l + 1], random, bias, name: (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        this.activations = [.. activations];
    }

    /// <summary>
    /// Builds a network whose hidden layers all use <paramref name="hidden"/> and whose output layer is linear
    /// (<see cref="Activation.Identity"/>): the usual classifier or regressor, whose outputs go to a loss.
    /// </summary>
    public Mlp(IReadOnlyList<int> sizes, Activation hidden, Random random, bool bias = true)
        : this(sizes, HiddenThenIdentity(sizes, hidden), random, bias)
    {
    }

    private static Activation[] HiddenThenIdentity(IReadOnlyList<int> sizes, Activation hidden)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (!Enum.IsDefined(hidden))
        {
            // checked here, by its own name: a network of one layer never uses it, and a list would call it "activation 0"
            throw new ArgumentOutOfRangeException(nameof(hidden), string.Create(CultureInfo.InvariantCulture,
                $"Mlp: the hidden activation {(int)hidden} is not an Activation."));
        }
        var result = new Activation[Math.Max(0, sizes.Count - 1)];
        Array.Fill(result, hidden);
        if (result.Length > 0)
        {
            result[^1] = Activation.Identity;
        }
        return result;
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Linear<T>> Layers => layers;

    /// <summary>Each layer's activation.</summary>
    public IReadOnlyList<Activation> Activations => activations;

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Module<T>>> Children() =>
        layers.Select((l, i) => new KeyValuePair<string, Module<T>>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), l));

    /// <summary>Runs a batch of rows (N×inputs) through every layer.</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Cols != layers[0].InFeatures)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Mlp.Forward: the input is {input.Shape} but the first layer takes {layers[0].InFeatures} columns (layer 0, {layers[0].Description}); pass N rows of {layers[0].InFeatures} features."), nameof(input));
        }
        Tensor<T>.RefuseDisposed("Mlp.Forward", input);
        Tensor<T> a = input;
        for (int l = 0; l < layers.Length; l++)
        {
            a = activations[l].Apply(layers[l].Forward(a));
        }
        return a;
    }
}
