namespace AutoGrad.Nn;

/// <summary>How a loss combines its per-example terms, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The (weighted) mean of the terms, a 1×1 tensor: PyTorch's <c>reduction='mean'</c>, the default.</summary>
    Mean,

    /// <summary>The sum of the terms, a 1×1 tensor: PyTorch's <c>reduction='sum'</c>.</summary>
    Sum,

    /// <summary>The terms themselves, one per example (an N×1 column): PyTorch's <c>reduction='none'</c>.</summary>
    None,
}
