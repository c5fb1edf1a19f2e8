using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

// The shared drivers of the element-wise families; each operation's own file holds its kernel and rule.
public sealed partial class Tensor<T>
{
    /// <summary>Forward of a broadcasting binary op: checks shapes first, so a refused op changes nothing.</summary>
    internal static Tensor<T> BinaryForward<TKernel>(string op, Tensor<T> a, Tensor<T> b)
        where TKernel : IBinaryKernel<T>
    {
        Shape shape = Broadcasting.ResultShape(op, a.Shape, b.Shape);
        var result = Uninitialized(shape);
        Broadcasting.Apply<T, TKernel>(a.Data, a.Shape, b.Data, b.Shape, result.Data, shape);
        return result;
    }

    /// <summary>Forward of a unary element-wise op.</summary>
    internal static Tensor<T> UnaryForward<TKernel>(Tensor<T> x) where TKernel : IUnaryKernel<T>
    {
        var result = Uninitialized(x.Shape);
        TKernel.Invoke(x.Data, result.Data);
        return result;
    }

    /// <summary>
    /// A backward rule's gradient as one pass of <typeparamref name="TKernel"/> when the rule is not being recorded
    /// (a plain <c>Backward()</c>); null when it is (<c>createGraph: true</c>), and the rule must be written with
    /// recorded operations so that it can be differentiated again.
    /// </summary>
    internal static Tensor<T>? UnrecordedGradient<TKernel>(Tensor<T> grad, Tensor<T> saved) where TKernel : IGradientKernel<T>
    {
        if (ShouldRecord(grad, saved))
        {
            return null;
        }
        var result = Uninitialized(grad.Shape);
        GradientKernel.Invoke<T, TKernel>(grad.Data, saved.Data, result.Data);
        return result;
    }
}
