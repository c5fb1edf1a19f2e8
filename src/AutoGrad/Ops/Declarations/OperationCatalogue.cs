using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>
/// Every operation of the library, found by reflection: each element-wise operator struct (<see cref="IUnaryOperator{TSelf}"/>,
/// <see cref="IBinaryOperator{TSelf}"/>), each lane operator struct (<see cref="ILaneOperator{TSelf}"/>, one variant per axis) and each <see cref="OperationDeclaration"/> subclass. The generic test suites
/// (gradient checks, second derivatives, recording, uninitialised memory, fuzzed graphs, formulas) and
/// <see cref="Symbolic"/>'s evaluation read it, so an operation is declared in its own file and nowhere else.
/// </summary>
internal static class OperationCatalogue
{
    private static readonly Lazy<IReadOnlyList<OperationDeclaration>> all = new(Discover);

    /// <summary>Every declared operation variant, ordered by name.</summary>
    public static IReadOnlyList<OperationDeclaration> All => all.Value;

    /// <summary>Evaluates a formula node: the first declaration that knows <paramref name="symbol"/> for this many arguments.</summary>
    public static Tensor<T> Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (OperationDeclaration declaration in All)
        {
            if (declaration.Evaluate(symbol, arguments) is { } value)
            {
                return value;
            }
        }
        throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Symbolic: no operation writes '{symbol}' with {arguments.Length} argument(s)."));
    }

    private static IReadOnlyList<OperationDeclaration> Discover()
    {
        var found = new List<OperationDeclaration>();
        foreach (Type type in typeof(OperationCatalogue).Assembly.GetTypes())
        {
            if (type.IsAbstract || type.IsGenericTypeDefinition)
            {
                continue;
            }
            if (Implements(type, typeof(IUnaryOperator<>)))
            {
                found.Add(Create(typeof(UnaryDeclaration<>).MakeGenericType(type)));
            }
            else if (Implements(type, typeof(IBinaryOperator<>)))
            {
                found.Add(Create(typeof(BinaryDeclaration<>).MakeGenericType(type)));
            }
            else if (Implements(type, typeof(ILaneOperator<>)))
            {
                found.AddRange(Create(typeof(LaneDeclaration<>).MakeGenericType(type)).Variants);
            }
            else if (type.IsSubclassOf(typeof(OperationDeclaration)) && !type.IsGenericType)
            {
                found.AddRange(Create(type).Variants);
            }
        }
        return found.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
    }

    private static bool Implements(Type type, Type genericInterface) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == genericInterface);

    private static OperationDeclaration Create(Type type) =>
        (OperationDeclaration)Activator.CreateInstance(type, nonPublic: true)!;
}
