using System.Numerics;
using System.Reflection;

namespace AutoGrad.Tests.Api;

/// <summary>
/// Ordinary, valid values for the parameters of AutoGrad's public API, by parameter type, so that a call with one
/// argument set to null fails on that argument and nothing else: 1×1 tensors (they broadcast with everything and
/// multiply with everything), one-element arrays and lists, small functions of tensors, and public types built from
/// their simplest constructor. A type it cannot build is reported, not guessed.
/// </summary>
internal static class ArgumentValues
{
    /// <summary>Whether the tensors built require a gradient (some members need one, others refuse one).</summary>
    [ThreadStatic] public static bool TensorsRequireGrad;

    public static bool TryCreate(Type type, ParameterInfo? parameter, int depth, out object? value)
    {
        value = null;
        if (depth > 4)
        {
            return false;
        }
        if (type == typeof(double)) { value = parameter?.Name is "high" or "max" or "maximum" ? 1.0 : 0.5; return true; }
        if (type == typeof(float)) { value = 0.5f; return true; }
        if (type == typeof(int)) { value = parameter is null ? 0 : 1; return true; } // 0 inside arrays: a valid index
        if (type == typeof(long)) { value = 1L; return true; }
        if (type == typeof(bool)) { value = false; return true; }
        if (type == typeof(string) && parameter?.Name is "claim" or "reference" or "formula" or "text")
        {
            value = "1";
            return true;
        }
        if (type == typeof(string))
        {
            value = parameter?.Name?.Contains("path", StringComparison.OrdinalIgnoreCase) == true
                ? Path.Combine(Path.GetTempPath(), $"autograd-null-test-{Guid.NewGuid():N}")
                : "x";
            return true;
        }
        if (type == typeof(Random)) { value = new Random(1); return true; }
        if (type == typeof(Shape)) { value = new Shape(1, 1); return true; }
        if (type == typeof(TimeSpan)) { value = TimeSpan.FromSeconds(1); return true; }
        if (type == typeof(CancellationToken)) { value = CancellationToken.None; return true; }
        if (type == typeof(Stream)) { value = new MemoryStream(); return true; }
        if (type == typeof(TextWriter)) { value = new StringWriter(); return true; }
        if (type.IsEnum) { value = Enum.GetValues(type).GetValue(0); return true; }
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TryCreate(underlying, parameter, depth + 1, out value);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Tensor<>))
        {
            double fill = parameter?.Name == "labels" ? 0 : 0.5; // a labels tensor holds class indices: class 0 of 1×1 logits
            value = typeof(ArgumentValues).GetMethod(nameof(Scalar), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [fill]);
            return true;
        }
        if (type.IsArray)
        {
            Type element = type.GetElementType()!;
            var array = Array.CreateInstance(element, Enumerable.Repeat(1, type.GetArrayRank()).ToArray());
            if (!TryCreate(element, null, depth + 1, out object? item))
            {
                return false;
            }
            array.SetValue(item, new int[type.GetArrayRank()]);
            value = array;
            return true;
        }
        if (type.IsGenericType && type.GetGenericArguments().Length == 1 && type.IsInterface &&
            type.IsAssignableFrom(type.GetGenericArguments()[0].MakeArrayType()))
        {
            return TryCreate(type.GetGenericArguments()[0].MakeArrayType(), null, depth + 1, out value);
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return TryCreateFunction(type, out value);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition &&
            (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)))
        {
            value = Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()));
            return true;
        }
        if (type.IsPointer || type.IsByRefLike || type.ContainsGenericParameters)
        {
            return false;
        }
        if (type.IsAbstract || type.IsInterface)
        {
            // a public implementation from AutoGrad itself (an optimizer for IOptimizer, a layer for Module<T>)
            foreach (Type candidate in typeof(Tensor).Assembly.GetExportedTypes().Where(t => !t.IsAbstract && !t.IsInterface).OrderBy(t => t.Name))
            {
                Type? closed = candidate.IsGenericTypeDefinition && type.IsGenericType && candidate.GetGenericArguments().Length == type.GetGenericArguments().Length
                    ? candidate.MakeGenericType(type.GetGenericArguments())
                    : candidate.IsGenericTypeDefinition && candidate.GetGenericArguments().Length == 1 && !type.IsGenericType ? TryMake(candidate, typeof(double))
                    : candidate.IsGenericTypeDefinition ? null : candidate;
                if (closed is not null && type.IsAssignableFrom(closed) && TryCreate(closed, parameter, depth + 1, out value))
                {
                    return true;
                }
            }
            return false;
        }
        foreach (ConstructorInfo constructor in type.GetConstructors().OrderBy(c => c.GetParameters().Length))
        {
            if (TryArguments(constructor.GetParameters(), depth + 1, out object?[] arguments))
            {
                try
                {
                    value = constructor.Invoke(arguments);
                    return true;
                }
                catch (TargetInvocationException)
                {
                }
            }
        }
        if (type.IsValueType)
        {
            value = Activator.CreateInstance(type);
            return true;
        }
        // no public constructor: a public static factory without arguments (Tensor.Scope() for TensorScope)
        foreach (MethodInfo factory in typeof(Tensor).Assembly.GetExportedTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.ReturnType == type && m.GetParameters().Length == 0 && !m.IsGenericMethodDefinition))
        {
            value = factory.Invoke(null, null);
            return true;
        }
        return false;
    }

    private static Type? TryMake(Type definition, Type argument)
    {
        try
        {
            return definition.MakeGenericType(argument);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static bool TryArguments(ParameterInfo[] parameters, int depth, out object?[] arguments)
    {
        arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType.IsByRef || !TryCreate(parameters[i].ParameterType, parameters[i], depth, out arguments[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static Tensor<T> Scalar<T>(double fill) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor.Full(1, 1, T.CreateChecked(fill), requiresGrad: TensorsRequireGrad);

    private static Tensor<T> SumOf<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => x.Square().Sum();

    private static Tensor<T> SumOfFirst<T>(Tensor<T>[] x) where T : unmanaged, IFloatingPointIeee754<T> => x[0].Square().Sum();

    private static Tensor<T> SumOfFirstList<T>(IReadOnlyList<Tensor<T>> x) where T : unmanaged, IFloatingPointIeee754<T> => x[0].Square().Sum();

    private static bool TryCreateFunction(Type type, out object? value)
    {
        value = null;
        MethodInfo invoke = type.GetMethod("Invoke")!;
        Type[] parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        Type result = invoke.ReturnType;
        if (!result.IsGenericType || result.GetGenericTypeDefinition() != typeof(Tensor<>) || parameters.Length != 1)
        {
            return false;
        }
        Type t = result.GetGenericArguments()[0];
        string? name =
            parameters[0] == result ? nameof(SumOf) :
            parameters[0] == result.MakeArrayType() ? nameof(SumOfFirst) :
            parameters[0] == typeof(IReadOnlyList<>).MakeGenericType(result) ? nameof(SumOfFirstList) : null;
        if (name is null)
        {
            return false;
        }
        value = Delegate.CreateDelegate(type, typeof(ArgumentValues).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t));
        return true;
    }
}
