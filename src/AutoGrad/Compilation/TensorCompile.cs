using System.Numerics;
using AutoGrad.Nn;

namespace AutoGrad;

public static partial class Tensor
{
    /// <summary>
    /// Compiles a training step of one input: <paramref name="loss"/> maps a batch to a 1×1 loss. The result's
    /// <see cref="CompiledStep{T}.Run(Tensor{T})"/> does what <c>loss(x).Backward()</c> does (and then
    /// <c>optimizer.Step()</c>, if given) with the same bits, without building a graph or allocating.
    /// </summary>
    public static CompiledStep<T> Compile<T>(Func<Tensor<T>, Tensor<T>> loss, Optimizer<T>? optimizer = null, CompileOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new CompiledStep<T>(inputs => loss(inputs[0]), 1, optimizer, options);
    }

    /// <summary>
    /// Compiles a training step of two inputs (typically a batch and its targets): <paramref name="loss"/> maps them to a
    /// 1×1 loss; see <see cref="Compile{T}(Func{Tensor{T}, Tensor{T}}, Optimizer{T}?, CompileOptions?)"/>.
    /// </summary>
    public static CompiledStep<T> Compile<T>(Func<Tensor<T>, Tensor<T>, Tensor<T>> loss, Optimizer<T>? optimizer = null, CompileOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new CompiledStep<T>(inputs => loss(inputs[0], inputs[1]), 2, optimizer, options);
    }

    /// <summary>Compiles a forward function (inference): see <see cref="CompiledForward{T}"/>.</summary>
    public static CompiledForward<T> CompileForward<T>(Func<Tensor<T>, Tensor<T>> function, CompileOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        return new CompiledForward<T>(inputs => function(inputs[0]), options);
    }
}
