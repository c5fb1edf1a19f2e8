using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A <see cref="TensorScope"/>'s bookkeeping where session twelve's mutation run found it untested: a view of a view
/// kept out of its scope keeps the array of the tensor that owns it; a scope takes the member list the last one left
/// (and a list grown past 65,536 entries is left to the garbage collector); the texts of the refusals of a scope that
/// has ended; a disposed tensor read by no named operation.
/// </summary>
public class TensorScopeStorageKillTests
{
    [Fact]
    public void A_view_of_a_view_kept_from_its_scope_keeps_the_owners_array_from_being_recycled()
    {
        BufferPool<double>.MinLengthOnThisThread = 1;
        try
        {
            var x = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } });
            Tensor<double> kept;
            using (var scope = Tensor.Scope())
            {
                var owner = x * 2.0;
                kept = scope.Keep(owner.Detach().Detach()); // the second view's array belongs to owner, not to the first view
            }
            using (Tensor.Scope())
            {
                // arrays recycled from the ended scope are handed out again (filled with NaN first, in this suite)
                for (int i = 0; i < 4; i++)
                {
                    _ = (x * 3.0).Exp();
                }
                Assert.False(kept.IsDisposed);
                Assert.Equal(new double[] { 2, 4, 6, 8 }, kept.ToFlatArray());
            }
        }
        finally
        {
            BufferPool<double>.MinLengthOnThisThread = 0;
        }
    }

    [Fact]
    public void A_scope_takes_the_member_list_the_last_scope_on_its_thread_left()
    {
        var x = Tensor.From(new double[,] { { 1, 2 } });
        using (Tensor.Scope())
        {
            _ = x * 2.0;
        }
        var spare = EngineThread.Current.SpareScopeMembers;
        Assert.NotNull(spare);
        using (Tensor.Scope())
        {
            Assert.Null(EngineThread.Current.SpareScopeMembers); // taken
            _ = x * 2.0;
        }
        Assert.Same(spare, EngineThread.Current.SpareScopeMembers); // and given back, emptied
        Assert.Empty(spare!);
    }

    [Fact]
    public void A_member_list_of_65536_entries_is_kept_for_the_next_scope_and_a_longer_one_is_not()
    {
        var x = Tensor.From(new double[,] { { 1 } });
        List<IScopedTensor>? Fill(int members)
        {
            EngineThread.Current.SpareScopeMembers = null;
            using (var scope = Tensor.Scope())
            {
                for (int i = 0; i < members; i++)
                {
                    _ = x * 2.0;
                }
                Assert.Equal(members, scope.MemberCount);
            }
            return EngineThread.Current.SpareScopeMembers;
        }
        var atLimit = Fill(40_000); // a List grows by doubling: 40,000 entries need a capacity of 65,536
        Assert.NotNull(atLimit);
        Assert.Equal(1 << 16, atLimit!.Capacity);
        Assert.Null(Fill(70_000)); // capacity 131,072
    }

    [Fact]
    public void Keep_after_the_scope_has_ended_says_to_call_it_inside_the_scope()
    {
        var x = Tensor.From(new double[,] { { 1, 2 } });
        Tensor<double> y;
        var scope = Tensor.Scope();
        y = x * 2.0;
        scope.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => scope.Keep(y));
        Assert.StartsWith("TensorScope.Keep: the scope has ended, and a 1×2 tensor was disposed with it if it belonged to it; " +
            "call Keep inside the scope, before its using block ends.", e.Message);
    }

    [Fact]
    public void A_tensor_given_to_a_scope_that_has_ended_is_an_internal_error_said_as_such()
    {
        var scope = Tensor.Scope();
        scope.Dispose();
        var e = Assert.Throws<InvalidOperationException>(() => scope.Add(Tensor.From(new double[,] { { 1 } })));
        Assert.Equal("TensorScope: internal error: a tensor was given to a scope that has ended.", e.Message);
    }

    [Fact]
    public void A_disposed_tensor_read_by_no_named_operation_starts_its_refusal_with_the_tensor()
    {
        var x = Tensor.From(new double[,] { { 1, 2 } });
        Tensor<double> y;
        using (Tensor.Scope())
        {
            y = x * 2.0;
            y.Name = "y";
        }
        var e = Assert.Throws<ObjectDisposedException>(() => y.Data);
        Assert.StartsWith("'y' (1×2) was created inside a TensorScope that has ended", e.Message); // no ": " of a missing name
    }
}
