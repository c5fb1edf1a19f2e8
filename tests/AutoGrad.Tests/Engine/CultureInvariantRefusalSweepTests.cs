using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using AutoGrad.Nn;
using AutoGrad.Tests.Api;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// Issue 13 (polish13): the guard that no refusal writes a number in the current culture, for refusals written after
/// <see cref="CultureInvariantRefusalTests"/> as well. Every public method, constructor and instance setter of the
/// AutoGrad assembly is found by reflection and called with one numeric argument set to a value each culture writes
/// differently — −3 for a whole number (sv-SE writes U+2212, fa-IR and ar-SA put a direction mark before it), −1.5 and
/// 0.5 for a real number (de-DE writes a comma) — the others valid. A call that is refused must give the same message
/// under fa-IR, ar-SA, sv-SE and de-DE as under the invariant culture, with only ASCII digits and an ASCII '-' in its
/// numbers. So a refusal added later is covered without touching this test; one that interpolates a number without
/// <c>string.Create(CultureInfo.InvariantCulture, …)</c> fails it (planted: SliceRows' refusal written with a plain
/// <c>$"…"</c> failed for start = −3 and count = −3). Before this sweep (polish13) it found four: Dimension.Fixed, its
/// implicit conversion and ProofContext.WithReferenceSize refused through .NET's ThrowIfLessThan ("Actual value was ‎−3"
/// under fa-IR), and Reshape's refusal wrote "−1 (inferred)" with U+2212.
/// </summary>
public class CultureInvariantRefusalSweepTests
{
    private static readonly string[] Cultures = ["fa-IR", "ar-SA", "sv-SE", "de-DE"];

    private static bool IsCultureMark(char c) =>
        c is '\u2212' or '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
        || (char.IsDigit(c) && c is < '0' or > '9');

    private static IEnumerable<(string Name, MethodBase Method, Type? Instance)> Members()
    {
        foreach (Type open in typeof(Tensor).Assembly.GetExportedTypes().Where(t => !typeof(Delegate).IsAssignableFrom(t) && !typeof(Exception).IsAssignableFrom(t)))
        {
            Type type = open.IsGenericTypeDefinition ? open.MakeGenericType(Enumerable.Repeat(typeof(double), open.GetGenericArguments().Length).ToArray()) : open;
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            IEnumerable<MethodBase> methods = type.IsAbstract && !type.IsSealed
                ? type.GetMethods(flags).Where(m => m.IsStatic)
                : type.GetMethods(flags).Cast<MethodBase>().Concat(type.GetConstructors());
            foreach (MethodBase method in methods)
            {
                // a static setter changes the whole process (Parallelism.MaxThreads): its refusal is pinned in CultureInvariantRefusalTests
                if (method.Name.StartsWith('<') || method.IsDefined(typeof(CompilerGeneratedAttribute)) || (method.IsStatic && method.Name.StartsWith("set_", StringComparison.Ordinal)))
                {
                    continue;
                }
                MethodBase? closed = method is MethodInfo { IsGenericMethodDefinition: true } generic ? TryClose(generic) : method;
                if (closed is not null && !closed.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike) &&
                    !(closed is MethodInfo info && info.ReturnType.IsByRefLike))
                {
                    yield return ($"{type.Name}.{closed.Name}({string.Join(", ", closed.GetParameters().Select(p => p.Name))})", closed, closed.IsStatic || closed.IsConstructor ? null : type);
                }
            }
        }
    }

    private static MethodInfo? TryClose(MethodInfo method)
    {
        try
        {
            return method.MakeGenericMethod(Enumerable.Repeat(typeof(double), method.GetGenericArguments().Length).ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Values each culture writes differently, for a parameter of <paramref name="type"/> (an int[] holds indices or labels).</summary>
    private static object[] CultureSensitive(Type type) =>
        type == typeof(int) ? [-3] : type == typeof(long) ? [-3L] : type == typeof(double) ? [-1.5, 0.5, double.NaN] : type == typeof(float) ? [-1.5f, 0.5f]
        : type == typeof(int[]) ? [new[] { -3 }] : [];

    /// <summary>The message of the call's refusal, or null if it was accepted.</summary>
    private static string? Refusal(MethodBase method, object? instance, object?[] arguments)
    {
        object? result = null;
        try
        {
            result = method is ConstructorInfo constructor ? constructor.Invoke(arguments) : method.Invoke(instance, arguments);
            return null;
        }
        catch (TargetInvocationException e)
        {
            return $"{e.InnerException!.GetType().Name}: {e.InnerException.Message}";
        }
        finally
        {
            (result as IDisposable)?.Dispose(); // a scope a call opened ends here, on this thread
        }
    }

    [Fact]
    public void Every_refusal_of_a_culture_sensitive_number_reads_the_same_in_every_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        int maxThreads = Parallelism.MaxThreads;
        var failures = new List<string>();
        int refusals = 0;
        try
        {
            foreach (var (name, method, instanceType) in Members())
            {
                ParameterInfo[] parameters = method.GetParameters();
                for (int i = 0; i < parameters.Length; i++)
                {
                    foreach (object value in CultureSensitive(parameters[i].ParameterType))
                    {
                        ArgumentValues.TensorsRequireGrad = false;
                        object? instance = null;
                        if (!ArgumentValues.TryArguments(parameters, 0, out object?[] arguments) ||
                            (instanceType is not null && !ArgumentValues.TryCreate(instanceType, null, 0, out instance)))
                        {
                            continue; // members the generic builder cannot call: NullArgumentTests lists them
                        }
                        arguments[i] = value;
                        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
                        string? invariant = Refusal(method, instance, arguments);
                        if (invariant is null)
                        {
                            (instance as IDisposable)?.Dispose();
                            continue;
                        }
                        refusals++;
                        foreach (string culture in Cultures)
                        {
                            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                            string? message = Refusal(method, instance, arguments); // the same arguments: a refused call changed nothing
                            if (message != invariant || message.Any(IsCultureMark))
                            {
                                failures.Add($"{name} with {parameters[i].Name} = {Convert.ToString(value, CultureInfo.InvariantCulture)} under {culture}: \"{message}\"; invariant: \"{invariant}\"");
                                break;
                            }
                        }
                        (instance as IDisposable)?.Dispose();
                    }
                }
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            Parallelism.MaxThreads = maxThreads;
        }
        Assert.True(refusals > 100, $"only {refusals} refusals were met: the sweep is broken");
        Assert.Null(TensorScope.Current);
        Assert.True(failures.Count == 0, $"{failures.Count} of {refusals} refusals depend on the culture:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void The_refusals_of_this_session_read_the_same_in_every_culture()
    {
        var x = Tensor.Zeros<double>(2, 3);
        AssertInvariant<ArgumentOutOfRangeException>(() => Loss.CrossEntropy(x, [0, -1], ignoreIndex: -100), "label -1 of row 1", "the ignoreIndex -100");
        AssertInvariant<ArgumentException>(() => Loss.CrossEntropy(x, [-100, -100], ignoreIndex: -100), "all 2 labels are the ignoreIndex -100");
        AssertInvariant<ArgumentException>(() => Loss.CrossEntropyOfLabels(x, Tensor.Full(2, 1, -7.0), ignoreIndex: -7), "ignoreIndex -7");
        AssertInvariant<ArgumentOutOfRangeException>(() => Loss.CrossEntropyOfLabels(x, Tensor.Full(2, 1, -2.5), ignoreIndex: -7), "label -2.5 of row 0");
        var stream = new MemoryStream();
        SafeTensors.Save(stream, [new KeyValuePair<string, Tensor<double>>("w", Tensor.Full(1, 1, -1.5e300))]);
        AssertInvariant<InvalidDataException>(() => { stream.Position = 0; SafeTensors.Load<float>(stream, [new("w", Tensor.Zeros<float>(1, 1))]); },
            "its element 0 is -1.5E+300, beyond the largest Single (3.4028235E+38)");
        AssertInvariant<ArgumentOutOfRangeException>(() => _ = x[^3.., ..], "rows ^3..^0 are -1..2");
    }

    private static void AssertInvariant<TException>(Action call, params string[] parts) where TException : Exception
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            string invariant = Assert.Throws<TException>(call).Message;
            Assert.All(parts, part => Assert.Contains(part, invariant));
            foreach (string culture in Cultures)
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                Assert.Equal(invariant, Assert.Throws<TException>(call).Message);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
