using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// A layer or a network: a function of a batch of rows with named trainable parameters, made of named sub-modules.
/// A module declares only its own parameters (<see cref="OwnParameters"/>) and its direct children
/// (<see cref="Children"/>); <see cref="NamedParameters"/> joins the names with dots, as PyTorch's
/// <c>named_parameters()</c> does: a <see cref="Sequential{T}"/> of two <see cref="Linear{T}"/> layers has
/// "0.weight", "0.bias", "1.weight", "1.bias". The names are stable: they depend only on the module's structure,
/// so they key saved weights (<see cref="SafeTensors"/>).
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public abstract class Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Applies the module to a batch of rows (N×features).</summary>
    public abstract Tensor<T> Forward(Tensor<T> input);

    /// <summary>The parameters this module holds itself (not its children's), with their local names.</summary>
    protected virtual IEnumerable<KeyValuePair<string, Tensor<T>>> OwnParameters() => [];

    /// <summary>The direct sub-modules, with their local names.</summary>
    protected virtual IEnumerable<KeyValuePair<string, Module<T>>> Children() => [];

    /// <summary>
    /// Every parameter with its dotted path ("0.weight"), own parameters first, then each child's in order. A tensor
    /// reached twice (a module used twice, tied weights) is listed once, under its first path, as PyTorch's
    /// <c>named_parameters()</c> does: an optimizer would otherwise refuse it as given twice.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor<T>>> NamedParameters()
    {
        var result = new List<KeyValuePair<string, Tensor<T>>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var listed = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(string Prefix, Module<T> Module)>();
        pending.Push(("", this));
        while (pending.Count > 0)
        {
            var (prefix, module) = pending.Pop();
            foreach (var (name, parameter) in module.OwnParameters())
            {
                string path = prefix + name;
                if (!names.Add(path))
                {
                    throw new InvalidOperationException($"NamedParameters: two parameters are named '{path}' in {GetType().Name}; names must be unique.");
                }
                if (listed.Add(parameter))
                {
                    result.Add(new(path, parameter));
                }
            }
            foreach (var (name, child) in module.Children().Reverse())
            {
                pending.Push((prefix + name + ".", child));
            }
        }
        return result;
    }

    /// <summary>Every trainable tensor, in the order of <see cref="NamedParameters"/>: what an optimizer takes.</summary>
    public IEnumerable<Tensor<T>> Parameters => NamedParameters().Select(p => p.Value);

    /// <summary>Writes every parameter, under its <see cref="NamedParameters"/> name, to a safetensors file.</summary>
    public void Save(string path) => SafeTensors.Save(path, NamedParameters());

    /// <summary>
    /// Loads every parameter from a safetensors file written by <see cref="Save"/> (or by PyTorch's
    /// <c>safetensors.torch.save_file(model.state_dict())</c> with the same names and dtype). All or nothing: a file
    /// with a missing or extra name, a wrong shape or dtype, or a malformed or truncated body throws an
    /// <see cref="InvalidDataException"/> and changes no parameter.
    /// </summary>
    public void Load(string path) => SafeTensors.Load(path, NamedParameters());

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, parameter) in NamedParameters())
        {
            parameter.ZeroGrad();
        }
    }
}

/// <summary>
/// Modules applied one after another, named "0", "1", … as in PyTorch's <c>nn.Sequential</c>:
/// <c>new Sequential&lt;double&gt;(new Linear&lt;double&gt;(64, 32, random), new ActivationLayer&lt;double&gt;(Activation.Relu),
/// new Linear&lt;double&gt;(32, 10, random))</c> has parameters "0.weight", "0.bias", "2.weight", "2.bias".
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public sealed class Sequential<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Module<T>[] modules;

    /// <summary>Composes <paramref name="modules"/>, first applied first.</summary>
    public Sequential(params Module<T>[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Length == 0 || Array.IndexOf(modules, null) >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Sequential: needs at least one module and no nulls; got {modules.Length} modules{(modules.Length > 0 ? " with a null" : "")}."), nameof(modules));
        }
        this.modules = [.. modules];
    }

    /// <summary>The modules, first applied first.</summary>
    public IReadOnlyList<Module<T>> Modules => modules;

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor<T>.RefuseDisposed("Sequential.Forward", input);
        Tensor<T> a = input;
        for (int i = 0; i < modules.Length; i++)
        {
            if (FirstLinear(modules[i]) is { } linear && a.Cols != linear.InFeatures)
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"module {i}, {(modules[i] is Linear<T> ? "" : modules[i].GetType().Name.Split('`')[0] + " starting with ")}{linear.Description}");
                throw i == 0
                    ? new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Sequential.Forward: the input is {input.Shape} but the first module takes {linear.InFeatures} columns ({at}); pass N rows of {linear.InFeatures} features."), nameof(input))
                    : new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Sequential.Forward: module {i - 1} gives {a.Shape} but module {i} takes {linear.InFeatures} columns ({at}); the modules do not chain — build the Sequential with matching sizes."));
            }
            a = modules[i].Forward(a);
        }
        return a;
    }

    /// <summary>The Linear layer that first sees a module's input (the module itself, an Mlp's layer 0, a nested Sequential's first), or null.</summary>
    private static Linear<T>? FirstLinear(Module<T> module) => module switch
    {
        Linear<T> linear => linear,
        Mlp<T> mlp => mlp.Layers[0],
        Sequential<T> sequential => FirstLinear(sequential.modules[0]),
        _ => null,
    };

    /// <inheritdoc/>
    protected override IEnumerable<KeyValuePair<string, Module<T>>> Children() =>
        modules.Select((m, i) => new KeyValuePair<string, Module<T>>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m));
}

/// <summary>An <see cref="Activation"/> as a module without parameters, for <see cref="Sequential{T}"/>.</summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public sealed class ActivationLayer<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps <paramref name="activation"/>.</summary>
    public ActivationLayer(Activation activation)
    {
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), string.Create(CultureInfo.InvariantCulture, $"ActivationLayer: {(int)activation} is not an Activation."));
        }
        Activation = activation;
    }

    /// <summary>The function applied.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor<T>.RefuseDisposed("ActivationLayer.Forward", input);
        return Activation.Apply(input);
    }
}
