using System.Numerics;
using AutoGrad.Nn;
using AutoGrad.Tests.Fuzz;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A <see cref="TensorScope"/> recycles the arrays of the results created in it. That must be invisible to everything
/// that outlives the scope — the same values and gradients, bit for bit, and arrays handed out (leaf gradients,
/// <see cref="TensorScope.Keep{T}"/>) never overwritten — and a disposed result must refuse to be read rather than
/// show another tensor's numbers. (The suite fills every reused array with NaN before it is handed out, so an array
/// recycled while still live shows up as a NaN or a changed bit.)
/// </summary>
public class TensorScopeTests
{
    /// <summary>Runs <paramref name="body"/> with every array length recycled, not only the long ones.</summary>
    private static TResult RecyclingEverything<TResult>(Func<TResult> body)
    {
        BufferPool<double>.MinLengthOnThisThread = 1;
        BufferPool<float>.MinLengthOnThisThread = 1;
        try
        {
            return body();
        }
        finally
        {
            BufferPool<double>.MinLengthOnThisThread = 0;
            BufferPool<float>.MinLengthOnThisThread = 0;
        }
    }

    [Fact]
    public void Random_graphs_give_the_same_values_and_gradients_inside_a_scope() =>
        Properties.Check(GraphFuzzTests.Graphs, c =>
        {
            var inputs = c.Values.Select((m, i) => m.ToTensor(name: $"x{i}")).ToArray();
            Tensor<double> Function() => c.Expression.Evaluate(inputs, new Dictionary<Expr, Tensor<double>>());
            (double[] Value, double[][] Grads, Tensor<double> Output) Run(bool scoped)
            {
                foreach (var x in inputs)
                {
                    x.ZeroGrad();
                }
                using TensorScope? scope = scoped ? Tensor.Scope() : null;
                Tensor<double> output = Function();
                double[] value = output.ToFlatArray();
                output.Sum().Backward();
                return (value, inputs.Select(x => x.Grad?.ToFlatArray() ?? []).ToArray(), output);
            }
            var reference = Run(scoped: false);
            RecyclingEverything(() =>
            {
                var first = Run(scoped: true);
                var kept = inputs.Select(x => x.Grad).ToArray(); // the first scope's leaf gradients
                var second = Run(scoped: true); // its results now live in the first scope's arrays
                Assert.Equal(reference.Value, first.Value);
                Assert.Equal(reference.Value, second.Value);
                for (int i = 0; i < inputs.Length; i++)
                {
                    Assert.Equal(reference.Grads[i], first.Grads[i]);
                    Assert.Equal(reference.Grads[i], second.Grads[i]);
                    Assert.Equal(reference.Grads[i], kept[i]?.ToFlatArray() ?? []);
                }
                Assert.True(first.Output.IsDisposed || inputs.Contains(first.Output)); // an input is the user's, not the scope's
                Assert.False(reference.Output.IsDisposed);
                return 0;
            });
        }, cases: 200);

    public sealed record TrainingCase(int Batch, int N0, int N1, int N2, int Seed, bool Float);

    private static readonly Arbitrary<TrainingCase> TrainingCases = Arb.From(
        from batch in Gen.Choose(1, 9)
        from n0 in Gen.Choose(1, 9)
        from n1 in Gen.Choose(1, 9)
        from n2 in Gen.Choose(1, 9)
        from seed in Gen.Choose(0, 1000)
        from isFloat in Gen.Elements(false, true)
        select new TrainingCase(batch, n0, n1, n2, seed, isFloat));

    /// <summary>Parameters after <paramref name="steps"/> SGD steps, each in its own scope or none.</summary>
    private static T[][] Train<T>(TrainingCase c, bool scoped, int steps = 4) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        var model = new Mlp<T>([c.N0, c.N1, c.N2], [Activation.Tanh, Activation.Sigmoid], random);
        var sgd = new Sgd<T>(model.Parameters, T.CreateChecked(0.1));
        var x = Tensor.RandomNormal<T>(c.Batch, c.N0, random);
        var y = Tensor.RandomUniform<T>(c.Batch, c.N2, random);
        var losses = new List<T>();
        for (int step = 0; step < steps; step++)
        {
            using TensorScope? scope = scoped ? Tensor.Scope() : null;
            sgd.ZeroGrad();
            var loss = Loss.HalfSumSquared(model.Forward(x), y);
            loss.Backward();
            sgd.Step();
            losses.Add(loss.Item);
        }
        return [.. model.Parameters.Select(p => p.ToFlatArray()), [.. losses]];
    }

    [Fact]
    public void Training_with_a_scope_per_step_gives_the_same_parameters_bit_for_bit() =>
        Properties.Check(TrainingCases, c => RecyclingEverything(() =>
        {
            if (c.Float)
            {
                Assert.Equal(Train<float>(c, scoped: false), Train<float>(c, scoped: true));
            }
            else
            {
                Assert.Equal(Train<double>(c, scoped: false), Train<double>(c, scoped: true));
            }
            return 0;
        }));

    [Fact]
    public void Training_with_a_scope_per_step_gives_the_same_parameters_at_a_size_the_pool_keeps_by_default()
    {
        // 40×300 results are above the pool's default minimum length, so no test hook is involved.
        var c = new TrainingCase(40, 30, 300, 5, Seed: 3, Float: false);
        Assert.Equal(Train<double>(c, scoped: false, steps: 3), Train<double>(c, scoped: true, steps: 3));
    }

    [Fact]
    public void A_scope_per_step_recycles_the_step_s_arrays()
    {
        long BytesOfThirdStep(bool scoped)
        {
            var random = new Random(5);
            var model = new Mlp<double>([16, 32, 4], [Activation.Sigmoid, Activation.Sigmoid], random);
            var sgd = new Sgd<double>(model.Parameters, 0.01);
            var x = Tensor.RandomNormal<double>(32, 16, random);
            var y = Tensor.RandomUniform<double>(32, 4, random);
            long bytes = 0;
            for (int step = 0; step < 3; step++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                using (scoped ? Tensor.Scope() : null)
                {
                    sgd.ZeroGrad();
                    Loss.HalfSumSquared(model.Forward(x), y).Backward();
                    sgd.Step();
                }
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            return bytes;
        }
        long without = BytesOfThirdStep(scoped: false), with = BytesOfThirdStep(scoped: true);
        // The forward pass's 32×32 results (8 KB each) dominate; in a scope they come back from the pool.
        Assert.True(with < without / 2, $"a step allocated {with} B in a scope, {without} B without");
    }

    [Fact]
    public void A_disposed_result_refuses_to_be_read_and_says_why()
    {
        var a = Tensor.From(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } }, name: "a");
        Tensor<double> result;
        using (Tensor.Scope())
        {
            result = a.Sigmoid();
            Assert.False(result.IsDisposed);
        }
        Assert.True(result.IsDisposed);
        Assert.Equal(new Shape(2, 3), result.Shape); // the shape stays readable
        Assert.Equal(6, result.Length);
        var errors = new Action[]
        {
            () => _ = result[0, 0], () => result.ToFlatArray(), () => result.ToArray(), () => result.AsSpan(),
            () => _ = result + a, () => _ = a.MatMul(result.Transpose()), () => result.Sum().Backward(),
        };
        foreach (var read in errors)
        {
            var error = Assert.Throws<ObjectDisposedException>(read);
            Assert.Contains("2×3", error.Message);
            Assert.Contains("scope.Keep", error.Message);
        }
        Assert.Contains("(disposed)", result.ToString());
        Assert.Throws<ObjectDisposedException>(() => result.Sum().Item); // even a 1×1 result of it
    }

    [Fact]
    public void Keep_hands_a_result_to_the_enclosing_scope_or_to_none()
    {
        var a = Tensor.From(new[,] { { 0.5, -1.0 }, { 2.0, 0.25 } });
        double[] expected = a.Tanh().ToFlatArray();
        Tensor<double> keptToOuter, keptToNone;
        using (var outer = Tensor.Scope())
        {
            using (var inner = Tensor.Scope())
            {
                keptToOuter = inner.Keep(a.Tanh());
            }
            RecyclingEverything(() =>
            {
                using (Tensor.Scope())
                {
                    _ = (a * 7.0).Exp(); // takes the inner scope's recycled arrays
                }
                return 0;
            });
            Assert.False(keptToOuter.IsDisposed);
            Assert.Equal(expected, keptToOuter.ToFlatArray());
            keptToNone = outer.Keep(keptToOuter);
        }
        Assert.False(keptToNone.IsDisposed);
        Assert.Equal(expected, keptToNone.ToFlatArray());

        Tensor<double> diedWithOuter;
        using (var outer = Tensor.Scope())
        {
            using (var inner = Tensor.Scope())
            {
                diedWithOuter = inner.Keep(a.Tanh());
            }
            Assert.False(diedWithOuter.IsDisposed);
        }
        Assert.True(diedWithOuter.IsDisposed);
    }

    [Fact]
    public void Keep_also_keeps_a_retained_gradient_of_the_same_scope()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true);
        Tensor<double> h;
        using (var scope = Tensor.Scope())
        {
            h = w.Sigmoid().RetainGrad();
            (h * h).Sum().Backward();
            scope.Keep(h);
        }
        Assert.False(h.IsDisposed);
        Assert.False(h.Grad!.IsDisposed);
        Assert.Equal(h.ToFlatArray().Select(v => 2 * v).ToArray(), h.Grad.ToFlatArray());
    }

    [Fact]
    public void Keep_refuses_a_tensor_of_another_scope_and_a_scope_that_has_ended()
    {
        var a = Tensor.From(new[,] { { 1.0 } });
        using var outer = Tensor.Scope();
        var ofOuter = a.Exp();
        using (var inner = Tensor.Scope())
        {
            var error = Assert.Throws<ArgumentException>(() => inner.Keep(ofOuter));
            Assert.Contains("another scope", error.Message);
            Assert.Contains("call Keep on the scope it was created in", error.Message);
            Assert.Throws<ArgumentNullException>(() => inner.Keep<double>(null!));
            Assert.Same(a, inner.Keep(a)); // a tensor of no scope is returned as it is
        }
        var ended = Tensor.Scope();
        var result = a.Exp();
        ended.Dispose();
        Assert.True(ended.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => ended.Keep(result));
    }

    [Fact]
    public void Keep_after_the_scope_ended_or_on_another_thread_is_refused_by_name_and_changes_nothing()
    {
        var a = Tensor.From(new[,] { { 1.0, 2.0 } });
        var ended = Tensor.Scope();
        var result = a.Exp();
        ended.Dispose();
        var disposed = Assert.Throws<ObjectDisposedException>(() => ended.Keep(result));
        Assert.StartsWith("TensorScope.Keep: the scope has ended, and a 1×2 tensor was disposed with it", disposed.Message);

        Tensor<double> inScope;
        using (var scope = Tensor.Scope())
        {
            inScope = a.Exp();
            Exception? refused = null;
            var other = new Thread(() => refused = Record.Exception(() => scope.Keep(inScope)));
            other.Start();
            other.Join();
            Assert.Equal("TensorScope.Keep: a scope belongs to the thread that created it; call Keep on that thread.",
                Assert.IsType<InvalidOperationException>(refused).Message);
            Assert.False(inScope.IsDisposed);
        }
        Assert.True(inScope.IsDisposed); // not kept: it still belonged to the scope and ended with it
    }

    [Fact]
    public void Scopes_end_innermost_first_on_the_thread_that_opened_them()
    {
        var outer = Tensor.Scope();
        var inner = Tensor.Scope();
        var error = Assert.Throws<InvalidOperationException>(outer.Dispose);
        Assert.Contains("innermost first", error.Message);
        Exception? fromOtherThread = null;
        var thread = new Thread(() => fromOtherThread = Record.Exception(inner.Dispose));
        thread.Start();
        thread.Join();
        Assert.IsType<InvalidOperationException>(fromOtherThread);
        Assert.Contains("on the thread that created it", fromOtherThread!.Message);
        inner.Dispose();
        inner.Dispose(); // a second time does nothing
        outer.Dispose();
        Assert.Null(TensorScope.Current);
    }

    [Fact]
    public void Results_made_on_another_thread_belong_to_no_scope()
    {
        var a = Tensor.From(new[,] { { 1.0, 2.0 } });
        double[] expected = a.Exp().ToFlatArray();
        Tensor<double>? elsewhere = null;
        using (Tensor.Scope())
        {
            var thread = new Thread(() => elsewhere = a.Exp());
            thread.Start();
            thread.Join();
        }
        Assert.False(elsewhere!.IsDisposed);
        Assert.Equal(expected, elsewhere.ToFlatArray());
    }

    [Fact]
    public void Tensors_made_outside_a_scope_or_by_factories_and_their_gradients_outlive_it()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 }, { 2.0, 0.25 } }, requiresGrad: true);
        double[] once = Gradient();
        Tensor<double> madeInside;
        for (int step = 0; step < 2; step++) // two scopes, no ZeroGrad: the gradient accumulates across them
        {
            using (Tensor.Scope())
            {
                madeInside = Tensor.From(new[,] { { 3.0 } });
                (w.Tanh() * w).Sum().Backward();
            }
            Assert.False(madeInside.IsDisposed);
            Assert.False(w.Grad!.IsDisposed);
        }
        Assert.Equal(once.Select(g => 2 * g).ToArray(), w.Grad!.ToFlatArray());

        double[] Gradient()
        {
            (w.Tanh() * w).Sum().Backward();
            double[] g = w.Grad!.ToFlatArray();
            w.ZeroGrad();
            return g;
        }
    }

    [Fact]
    public void A_gradient_lives_as_long_as_the_tensor_it_belongs_to()
    {
        var w = Tensor.From(new[,] { { 0.5, -1.0 } }, requiresGrad: true);
        using var outer = Tensor.Scope();
        var h = w.Sigmoid().RetainGrad(); // belongs to the outer scope
        Tensor<double> hidden;
        using (Tensor.Scope())
        {
            hidden = (h * 3.0).RetainGrad(); // belongs to the inner scope
            hidden.Sum().Backward();
        }
        Assert.False(h.Grad!.IsDisposed); // made in the inner scope, moved to h's
        Assert.Equal(new[] { 3.0, 3.0 }, h.Grad.ToFlatArray());
        Assert.True(hidden.IsDisposed);
        Assert.True(hidden.Grad!.IsDisposed);
    }

    [Fact]
    public void A_detached_view_lives_and_dies_with_the_array_it_shares()
    {
        var a = Tensor.From(new[,] { { 1.0, 2.0 } });
        Tensor<double> result, view;
        using (Tensor.Scope())
        {
            result = a.Exp();
            view = result.Detach();
        }
        Assert.True(result.IsDisposed);
        Assert.True(view.IsDisposed);

        double[] expected = a.Exp().ToFlatArray();
        using (var scope = Tensor.Scope())
        {
            result = a.Exp();
            view = result.Detach();
            scope.Keep(view); // the view keeps the array it shares alive, so the result stays readable too
        }
        Assert.Equal(expected, view.ToFlatArray());
        Assert.Equal(expected, result.ToFlatArray());

        using (var scope = Tensor.Scope())
        {
            result = a.Exp();
            view = result.Detach();
            scope.Keep(result); // kept: its views stay valid
        }
        Assert.Equal(expected, view.ToFlatArray());
    }

    [Fact]
    public void A_view_left_behind_when_its_array_was_kept_dies_with_the_scope_that_kept_the_array()
    {
        var a = Tensor.From(new[,] { { 1.0, 2.0 } });
        Tensor<double> result, view;
        using (var outer = Tensor.Scope())
        {
            using (var inner = Tensor.Scope())
            {
                result = a.Exp();
                view = result.Detach();
                inner.Keep(result); // the array moves to the outer scope; the view is left in the inner one
            }
            Assert.False(view.IsDisposed); // its array is still alive, so it followed the array to the outer scope
        }
        Assert.True(result.IsDisposed);
        Assert.True(view.IsDisposed); // never a view onto a recycled array
    }

    [Fact]
    public void A_new_scope_starts_empty_even_when_it_reuses_the_last_scope_s_list()
    {
        var a = Tensor.From(new[,] { { 1.0, 2.0 } });
        using (Tensor.Scope())
        {
            _ = a.Exp().Sigmoid();
        }
        using var next = Tensor.Scope();
        Assert.Equal(0, next.MemberCount);
        _ = a.Exp();
        Assert.Equal(1, next.MemberCount);
    }
}
