namespace AutoGrad;

/// <summary>Options of <see cref="Tensor.Compile{T}(Func{Tensor{T}, Tensor{T}}, Nn.Optimizer{T}?, CompileOptions?)"/> and its kin.</summary>
public sealed record CompileOptions
{
    /// <summary>
    /// Run chains of element-wise operations of one shape as one loop, band by band (default true). The values are
    /// the same either way; off, each operation is its own loop, as in the eager tape.
    /// </summary>
    public bool Fuse { get; init; } = true;

    /// <summary>
    /// On every call, also call the function eagerly on the same inputs and compare: the operations it records must be
    /// the traced ones (else the call throws, naming the first that differs) and its result must be the compiled one,
    /// bit for bit. For tests and debugging; it costs an eager forward pass per call and allocates.
    /// </summary>
    public bool CheckEachCall { get; init; }

    /// <summary>How many input shapes keep their compiled plan (default 8); a call with another shape traces again.</summary>
    public int MaxCachedShapes { get; init; } = 8;
}
