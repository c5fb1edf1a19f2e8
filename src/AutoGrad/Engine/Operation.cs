using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A recorded operation: its inputs with their versions when recorded, its backward rule, which turns the gradient
/// of the result into the gradients of the inputs, and how a formula writes it. Backward rules are written with
/// tensor operations themselves, so that a backward pass run with recording on (<c>createGraph: true</c>) can be
/// differentiated again. Any number of inputs: nothing in the engine counts them.
/// </summary>
internal abstract class Operation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The inputs' versions when recorded: the first two inline (every operation so far has one or two inputs), the rest in an array.
    private readonly int version0;
    private readonly int version1;
    private readonly int[]? moreVersions;

    /// <summary>Records an operation on <paramref name="inputs"/> (the array is kept, not copied).</summary>
    protected Operation(params Tensor<T>[] inputs)
    {
        Inputs = inputs;
        version0 = inputs[0].Version;
        if (inputs.Length > 1)
        {
            version1 = inputs[1].Version;
        }
        if (inputs.Length > 2)
        {
            moreVersions = new int[inputs.Length - 2];
            for (int i = 2; i < inputs.Length; i++)
            {
                moreVersions[i - 2] = inputs[i].Version;
            }
        }
        if (GradMode.AnomalyDetection)
        {
            CreatedAt = UserCallSite.Find();
        }
    }

    /// <summary>The operation's name, as error messages and graph pictures show it.</summary>
    public abstract string Name { get; }

    /// <summary>The tensors this operation read.</summary>
    public Tensor<T>[] Inputs { get; }

    /// <summary>Where in the user's code the operation was recorded (only in anomaly-detection mode).</summary>
    public string? CreatedAt { get; }

    /// <summary>
    /// Given d(loss)/d(result) (<paramref name="grad"/>, with the result's shape), sets <c>gradients[i]</c> to
    /// d(loss)/d(input i) for each input that needs one (<see cref="Needs"/>), leaving the others null. A gradient may
    /// have the input's shape or the shape the input was broadcast to; the backward pass sums it back.
    /// </summary>
    public abstract void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients);

    /// <summary>How a formula writes this operation applied to <paramref name="inputs"/> (read by <see cref="Symbolic"/>).</summary>
    public abstract SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs);

    /// <summary>True if input <paramref name="index"/> needs a gradient, so the rule should compute it.</summary>
    protected bool Needs(int index) => Inputs[index].RequiresGrad;

    /// <summary>Throws if an input was changed in place after this operation recorded it, naming <paramref name="caller"/>.</summary>
    public void CheckInputVersions(string caller = "Backward")
    {
        for (int i = 0; i < Inputs.Length; i++)
        {
            int recorded = i == 0 ? version0 : i == 1 ? version1 : moreVersions![i - 2];
            if (Inputs[i].Version != recorded)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"{caller}: input {i} of {Name}, {Inputs[i].Describe()}, was modified in place after the operation ") +
                    string.Create(CultureInfo.InvariantCulture, $"was recorded (version {recorded} then, {Inputs[i].Version} now); its gradient would be wrong. ") +
                    "Rebuild the graph after updating parameters.");
            }
        }
    }
}

/// <summary>Finds the first stack frame outside this library: where the user created an operation.</summary>
internal static class UserCallSite
{
    public static string Find()
    {
        var trace = new StackTrace(2, fNeedFileInfo: true);
        var library = typeof(UserCallSite).Assembly;
        foreach (var frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType?.Assembly == library)
            {
                continue;
            }
            string? file = frame.GetFileName();
            return file is null
                ? $"{method?.DeclaringType?.Name}.{method?.Name}"
                : string.Create(CultureInfo.InvariantCulture, $"{file}:line {frame.GetFileLineNumber()}");
        }
        return "(unknown caller)";
    }
}
