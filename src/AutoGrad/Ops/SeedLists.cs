namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The seeds of the next order's gradient of a product-of-seeds operation (Pow′, Exp′): the incoming seed
    /// <paramref name="grad"/> first, then every one of <paramref name="seeds"/> except the one at <paramref name="skip"/>
    /// (all of them when <paramref name="skip"/> is −1, for the gradient with respect to x).
    /// </summary>
    internal static Tensor<T>[] NextSeeds(Tensor<T> grad, ReadOnlySpan<Tensor<T>> seeds, int skip = -1)
    {
        var next = new Tensor<T>[skip < 0 ? seeds.Length + 1 : seeds.Length];
        next[0] = grad;
        for (int i = 0, n = 1; i < seeds.Length; i++)
        {
            if (i != skip)
            {
                next[n++] = seeds[i];
            }
        }
        return next;
    }

    /// <summary>g₁ ⊙ g₂ ⊙ … ⊙ gₖ, the notation of a product of seeds (k ≥ 1), left to right as the kernels multiply them.</summary>
    internal static SymbolicExpression SeedProductNotation(ReadOnlySpan<SymbolicExpression> seeds)
    {
        SymbolicExpression product = seeds[0];
        for (int j = 1; j < seeds.Length; j++)
        {
            product = Notation.Infix("⊙", product, seeds[j]);
        }
        return product;
    }
}
