using System.Diagnostics;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A recorded operation: its inputs, and its backward rule, which turns the gradient of the result into
/// the gradients of the inputs. Backward rules are written with tensor operations themselves, so that a
/// backward pass run with recording on (<c>createGraph: true</c>) can be differentiated again.
/// </summary>
internal abstract class Operation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The inputs' versions when recorded (every operation has one or two inputs).
    private readonly int version0;
    private readonly int version1;

    /// <summary>Records a unary operation on <paramref name="x"/>.</summary>
    protected Operation(Tensor<T> x)
        : this([x])
    {
    }

    /// <summary>Records a binary operation on <paramref name="a"/> and <paramref name="b"/>.</summary>
    protected Operation(Tensor<T> a, Tensor<T> b)
        : this([a, b])
    {
    }

    private Operation(Tensor<T>[] inputs)
    {
        Inputs = inputs;
        version0 = inputs[0].Version;
        version1 = inputs.Length > 1 ? inputs[1].Version : 0;
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
    /// Given d(loss)/d(result) (<paramref name="grad"/>, with the result's shape), returns
    /// d(loss)/d(input) for each input, each with that input's shape; null where an input needs no gradient.
    /// </summary>
    public abstract InputGradients<T> Backward(Tensor<T> result, Tensor<T> grad);

    /// <summary>True if input <paramref name="index"/> needs a gradient, so the rule should compute it.</summary>
    protected bool Needs(int index) => Inputs[index].RequiresGrad;

    /// <summary>Throws if an input was changed in place after this operation recorded it.</summary>
    public void CheckInputVersions()
    {
        for (int i = 0; i < Inputs.Length; i++)
        {
            int recorded = RecordedVersion(i);
            if (Inputs[i].Version != recorded)
            {
                throw new InvalidOperationException(
                    $"Backward: input {i} of {Name}, {Inputs[i].Describe()}, was modified in place after the operation " +
                    $"was recorded (version {recorded} then, {Inputs[i].Version} now); its gradient would be wrong. " +
                    "Rebuild the graph after updating parameters.");
            }
        }
    }

    private int RecordedVersion(int input) => input == 0 ? version0 : version1;
}

/// <summary>
/// What a backward rule returns: the gradient of each of its (one or two) inputs, null where an input needs none.
/// A struct, so a backward step allocates nothing beyond the gradients themselves.
/// </summary>
internal readonly struct InputGradients<T>(Tensor<T>? first, Tensor<T>? second = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The gradient of input <paramref name="index"/> (0 or 1).</summary>
    public Tensor<T>? this[int index] => index == 0 ? first : second;
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
                : $"{file}:line {frame.GetFileLineNumber()}";
        }
        return "(unknown caller)";
    }
}
