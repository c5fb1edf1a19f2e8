using System.Reflection;
using AutoGrad.Nn;
using AutoGrad.Tests.Api;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13 (polish13): a tensor disposed with its <see cref="TensorScope"/> and passed to an operation is refused with
/// an <see cref="ObjectDisposedException"/> whose message starts with the method the caller called and names the
/// tensor — "MatMul: 'b' (1×1) was created inside a TensorScope that has ended…" — not a bare "'b' (1×1) was created…"
/// from whichever inner read met it first. Every public member of <see cref="Tensor{T}"/>, <see cref="Tensor"/> and
/// <see cref="Loss"/> that takes a tensor (or is called on one) is found by reflection and called with a disposed tensor in
/// each tensor place, so a member added later is covered without touching this test. Operators are named by the method
/// they stand for (<c>a * b</c> is Hadamard), as their shape refusals are.
/// </summary>
public class DisposedInputRefusalTests
{
    private const string GoneName = "gone";

    private static Tensor<double> Disposed()
    {
        Tensor<double> gone;
        using (Tensor.Scope())
        {
            gone = Tensor.Full(1, 1, 0.5).Exp();
            gone.Name = GoneName;
        }
        Assert.True(gone.IsDisposed);
        return gone;
    }

    /// <summary>The name a refusal of <paramref name="method"/> starts with.</summary>
    private static string Expected(MethodInfo method) => method.Name switch
    {
        "op_Addition" => "Add",
        "op_Subtraction" => "Sub",
        "op_Multiply" => "Hadamard",
        "op_Division" => "Div",
        "op_UnaryNegation" => "Neg",
        "get_At" when method.GetParameters()[0].ParameterType == typeof(int) => "Indexer",
        "get_At" when method.GetParameters().Length == 2 => "Indexer [rows, cols]",
        "get_At" => "Indexer [rows]",
        "set_At" => "Indexer",
        _ when method.Name.StartsWith("get_", StringComparison.Ordinal) || method.Name.StartsWith("set_", StringComparison.Ordinal) => method.Name[4..],
        _ => method.Name,
    };

    /// <summary>Members that read no values, so a disposed tensor is fine there (its shape stays readable).</summary>
    private static readonly string[] ReadNoValues =
    [
        "ToString", "GetHashCode", "Equals", "GetType", "get_Shape", "get_Rows", "get_Cols", "get_Length", "get_Name", "set_Name",
        "get_IsDisposed", "get_IsLeaf", "get_Version", "get_RequiresGrad", "set_RequiresGrad", "get_Grad", "get_RetainsGrad",
        "RetainGrad", "ZeroGrad", "set_Grad",
        // the backward pass names its caller by its own mechanism (BackwardPass), tested in TensorScopeKeepGraphTests
        "Backward",
    ];

    private static IEnumerable<MethodInfo> Members()
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (Type type in new[] { typeof(Tensor<double>), typeof(Tensor), typeof(Loss) })
        {
            foreach (MethodInfo open in type.GetMethods(flags))
            {
                if (ReadNoValues.Contains(open.Name))
                {
                    continue;
                }
                MethodInfo method = open.IsGenericMethodDefinition ? open.MakeGenericMethod(typeof(double)) : open;
                bool takesTensor = !method.IsStatic || method.GetParameters().Any(p => IsTensorPlace(p.ParameterType));
                // a span (AsSpan's result, CopyFrom's values) cannot pass through reflection: AsSpan is asked directly below
                if (takesTensor && !method.ReturnType.IsByRefLike && !method.GetParameters().Any(p => p.ParameterType.IsByRefLike || p.ParameterType.IsByRef))
                {
                    yield return method;
                }
            }
        }
    }

    private static bool IsTensorPlace(Type type) => type == typeof(Tensor<double>) || type == typeof(Tensor<double>[]);

    [Fact]
    public void Every_member_refuses_a_disposed_tensor_naming_itself_and_the_tensor()
    {
        var failures = new List<string>();
        int checkedPlaces = 0;
        foreach (MethodInfo method in Members())
        {
            ParameterInfo[] parameters = method.GetParameters();
            // -1: the instance; otherwise the index of a tensor parameter
            IEnumerable<int> places = (method.IsStatic ? [] : new[] { -1 }).Concat(
                Enumerable.Range(0, parameters.Length).Where(i => IsTensorPlace(parameters[i].ParameterType)));
            foreach (int place in places)
            {
                ArgumentValues.TensorsRequireGrad = false;
                if (!ArgumentValues.TryArguments(parameters, 0, out object?[] arguments))
                {
                    failures.Add($"{method}: no valid arguments");
                    continue;
                }
                for (int i = 0; i < parameters.Length; i++)
                {
                    // an index or range that fits the 1×1 tensors: the call fails on the disposed tensor and nothing else
                    if (parameters[i].ParameterType == typeof(int))
                    {
                        arguments[i] = parameters[i].Name is "row" or "col" or "start" or "rowStart" or "colStart" ? 0 : 1;
                    }
                    else if (parameters[i].ParameterType == typeof(Range))
                    {
                        arguments[i] = Range.All;
                    }
                }
                object? instance = method.IsStatic ? null : Tensor.Full(1, 1, 0.5);
                if (place < 0)
                {
                    instance = Disposed();
                }
                else
                {
                    arguments[place] = parameters[place].ParameterType.IsArray ? new[] { Disposed() } : Disposed();
                }
                checkedPlaces++;
                string where = $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", parameters.Select(p => p.Name))}) with {(place < 0 ? "this" : parameters[place].Name)} disposed";
                try
                {
                    method.Invoke(instance, arguments);
                    failures.Add($"{where}: accepted");
                }
                catch (TargetInvocationException e) when (e.InnerException is ObjectDisposedException refused)
                {
                    string expected = Expected(method) + ": ";
                    if (!refused.Message.StartsWith(expected, StringComparison.Ordinal) || !refused.Message.Contains($"'{GoneName}' (1×1)", StringComparison.Ordinal))
                    {
                        failures.Add($"{where}: \"{refused.Message}\" (expected to start with \"{expected}\" and name '{GoneName}' (1×1))");
                    }
                }
                catch (TargetInvocationException e)
                {
                    failures.Add($"{where}: {e.InnerException!.GetType().Name}: {e.InnerException.Message}");
                }
            }
        }
        Assert.True(checkedPlaces > 60, $"only {checkedPlaces} tensor places were tried: the survey is broken");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedPlaces} refusals do not name the caller's method and the tensor:\n{string.Join("\n", failures)}");
    }

    /// <summary>Members of other types that read no values of the tensor, so a disposed one is fine there.</summary>
    private static readonly string[] AcceptDisposed =
    [
        "Graph.ToDot", "ProofContext.FromGraph", // the graph's structure and shapes, which stay readable
        "TensorScope.Keep", // a tensor of no scope is returned as it is
        "ActivationExtensions.Apply", // Identity (the first Activation) returns its argument as it is
    ];

    /// <summary>
    /// The same for every other public method and constructor of the assembly that takes a tensor: refused with a
    /// message that starts with the member's name (<c>Autograd.Jacobian:</c>, <c>MiniBatches.Shuffled:</c>,
    /// <c>Linear:</c> for its constructor, <c>GradCheck:</c> for GradCheck.Run) — whether for the disposed tensor or for another rule that comes first — or,
    /// for the few that read no values, accepted. Before (polish13): Jacobian, Hessian and HessianVectorProduct gave the
    /// bare message or "Detach:", Symbolic.FromGraph "AsSpan:", Prover.ProveGradient "Symbolic.Gradient:", and
    /// MiniBatches.Shuffled/InOrder, the Linear constructor and Autograd.Grad's seed accepted a disposed tensor.
    /// </summary>
    [Fact]
    public void Every_other_public_member_taking_a_tensor_refuses_a_disposed_one_naming_itself()
    {
        var failures = new List<string>();
        int checkedPlaces = 0;
        var covered = new[] { typeof(Tensor<double>), typeof(Tensor), typeof(Loss) };
        foreach (Type open in typeof(Tensor).Assembly.GetExportedTypes().Where(t => !typeof(Delegate).IsAssignableFrom(t) && !typeof(Exception).IsAssignableFrom(t)))
        {
            Type type = open.IsGenericTypeDefinition ? open.MakeGenericType(Enumerable.Repeat(typeof(double), open.GetGenericArguments().Length).ToArray()) : open;
            if (covered.Contains(type))
            {
                continue;
            }
            string typeName = type.Name.Split('`')[0];
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            IEnumerable<MethodBase> methods = type.IsAbstract && !type.IsSealed
                ? type.GetMethods(flags).Where(m => m.IsStatic)
                : type.GetMethods(flags).Cast<MethodBase>().Concat(type.GetConstructors());
            foreach (MethodBase declared in methods)
            {
                MethodBase method = declared is MethodInfo { IsGenericMethodDefinition: true } generic
                    ? generic.MakeGenericMethod(Enumerable.Repeat(typeof(double), generic.GetGenericArguments().Length).ToArray())
                    : declared;
                ParameterInfo[] parameters = method.GetParameters();
                if (method.Name.StartsWith('<') || parameters.Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike) ||
                    (method is MethodInfo info && info.ReturnType.IsByRefLike))
                {
                    continue;
                }
                string name = method.IsConstructor ? typeName : $"{typeName}.{method.Name}";
                foreach (int place in Enumerable.Range(0, parameters.Length).Where(i => IsTensorPlace(parameters[i].ParameterType)))
                {
                    ArgumentValues.TensorsRequireGrad = true;
                    object? instance = null;
                    if (!ArgumentValues.TryArguments(parameters, 0, out object?[] arguments) ||
                        (!method.IsStatic && !method.IsConstructor && !ArgumentValues.TryCreate(type, null, 0, out instance)))
                    {
                        continue; // NullArgumentTests lists the members the generic builder cannot call
                    }
                    arguments[place] = parameters[place].ParameterType.IsArray ? new[] { Disposed() } : Disposed();
                    checkedPlaces++;
                    string where = $"{name}({string.Join(", ", parameters.Select(p => p.Name))}) with {parameters[place].Name} disposed";
                    try
                    {
                        object? result = method is ConstructorInfo constructor ? constructor.Invoke(arguments) : method.Invoke(instance, arguments);
                        (result as IDisposable)?.Dispose();
                        if (!AcceptDisposed.Contains(name))
                        {
                            failures.Add($"{where}: accepted");
                        }
                    }
                    catch (TargetInvocationException e)
                    {
                        string message = e.InnerException!.Message;
                        // "Type.Method:", "Method:" or "Type:" (GradCheck's refusals of GradCheck.Run, a constructor's)
                        bool named = message.StartsWith(name + ":", StringComparison.Ordinal) || message.StartsWith(typeName + ":", StringComparison.Ordinal) ||
                            (!method.IsConstructor && message.StartsWith(method.Name + ":", StringComparison.Ordinal));
                        if (!named || (e.InnerException is ObjectDisposedException && !message.Contains($"'{GoneName}' (1×1)", StringComparison.Ordinal)))
                        {
                            failures.Add($"{where}: {e.InnerException.GetType().Name}: {message.Split('\n')[0]}");
                        }
                    }
                    finally
                    {
                        (instance as IDisposable)?.Dispose();
                    }
                }
            }
        }
        Assert.True(checkedPlaces > 20, $"only {checkedPlaces} tensor places were tried: the survey is broken");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedPlaces} do not name the member:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void A_layers_forward_with_a_disposed_input_names_the_layers_Forward()
    {
        var random = new Random(1);
        foreach (var (name, layer) in new (string, Module<double>)[]
        {
            ("Linear.Forward", new Linear<double>(1, 2, random)), ("Mlp.Forward", new Mlp<double>([1, 2, 1], Activation.Tanh, random)),
            ("Sequential.Forward", new Sequential<double>(new Linear<double>(1, 1, random))), ("ActivationLayer.Forward", new ActivationLayer<double>(Activation.Relu)),
        })
        {
            var before = layer.Parameters.Select(p => p.ToFlatArray()).ToArray();
            var refused = Assert.Throws<ObjectDisposedException>(() => layer.Forward(Disposed()));
            Assert.StartsWith($"{name}: '{GoneName}' (1×1) was created inside a TensorScope that has ended", refused.Message);
            Assert.Equal(before, layer.Parameters.Select(p => p.ToFlatArray()).ToArray());
        }
    }

    [Fact]
    public void MatMul_with_a_disposed_operand_names_MatMul_and_the_operand_and_changes_nothing()
    {
        var a = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true, name: "a");
        Tensor<double> b;
        using (Tensor.Scope())
        {
            b = a * 2.0;
            b.Name = "b";
        }
        var refused = Assert.Throws<ObjectDisposedException>(() => a.MatMul(b));
        Assert.StartsWith("MatMul: 'b' (2×2) was created inside a TensorScope that has ended, and its memory has been reused. " +
            "To use a result after its scope, hand it out with scope.Keep(tensor) before the scope ends.", refused.Message);
        Assert.Equal(new double[,] { { 1, 2 }, { 3, 4 } }, a.ToArray());
        Assert.Null(a.Grad);
        Assert.StartsWith("Indexer [rows, cols]: 'b' (2×2)", Assert.Throws<ObjectDisposedException>(() => b[0..1, ..]).Message);
        Assert.StartsWith("AsSpan: 'b' (2×2)", Assert.Throws<ObjectDisposedException>(() => b.AsSpan().Length).Message);
    }
}
