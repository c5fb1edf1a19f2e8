using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// One array of a compiled plan. Temporaries own an array allocated once and shared by every value whose lifetime
/// does not overlap; inputs and parameters are rebound to the caller's arrays at the start of each call.
/// </summary>
internal sealed class PlanBuffer<T>(T[] array, string label) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The array the plan's steps read and write during the current call.</summary>
    public T[] Array = array;

    /// <summary>How plan listings name this buffer (t3, x0, W1, c2).</summary>
    public string Label { get; } = label;

    public override string ToString() => Label;
}
