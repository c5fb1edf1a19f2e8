namespace AutoGrad.Derivations;

/// <summary>A note's formula whose shapes do not fit: the message names the rule and both shapes.</summary>
public sealed class ShapeException(string message) : ArgumentException(message);
