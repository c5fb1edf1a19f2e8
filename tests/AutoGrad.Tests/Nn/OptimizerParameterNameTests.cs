using System.Reflection;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>
/// adv16: a constructor's refusal names the constructor's own parameter in <see cref="ArgumentException.ParamName"/>.
/// <c>new Sgd(…, learningRate: −1)</c> and <c>new Adam(…, weightDecay: −1)</c> named "learning rate" and
/// "weight decay" — prose, not a parameter anyone can pass. Every number parameter of every optimizer's constructor is
/// given a refused value in turn (the others valid), found by reflection so a new hyper-parameter is covered too.
/// </summary>
public class OptimizerParameterNameTests
{
    private static Tensor<double>[] Parameters() => [Tensor.Ones<double>(2, 3, requiresGrad: true)];

    public static TheoryData<Type> Optimizers => new() { typeof(Sgd<double>), typeof(Adam<double>), typeof(AdamW<double>), typeof(Sgd<float>), typeof(Adam<float>), typeof(AdamW<float>) };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Each_refused_constructor_argument_is_named_by_its_parameter(Type type)
    {
        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        ParameterInfo[] parameters = constructor.GetParameters();
        var numbers = parameters.Where(p => p.ParameterType == typeof(double)).ToArray();
        Assert.Contains(numbers, p => p.Name == "learningRate");
        Assert.Contains(numbers, p => p.Name == "weightDecay");
        foreach (ParameterInfo refused in numbers)
        {
            foreach (double bad in new[] { -1.0, double.NaN, double.PositiveInfinity })
            {
                Type element = type.GetGenericArguments()[0];
                object?[] arguments = parameters.Select(p =>
                    p == refused ? bad
                    : p.Name == "parameters" ? MakeParameters(element)
                    : p.Name == "learningRate" ? 0.1
                    : p.HasDefaultValue ? p.DefaultValue
                    : throw new InvalidOperationException(p.Name)).ToArray();
                var error = Assert.IsType<ArgumentOutOfRangeException>(
                    Assert.Throws<TargetInvocationException>(() => constructor.Invoke(arguments)).InnerException);
                Assert.Equal(refused.Name, error.ParamName);
            }
        }
    }

    private static object MakeParameters(Type element) => element == typeof(double)
        ? Parameters()
        : new[] { Tensor.Ones<float>(2, 3, requiresGrad: true) };

    [Fact]
    public void The_messages_still_say_what_was_refused_in_words()
    {
        var sgd = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(Parameters(), -0.5));
        Assert.Equal("learningRate", sgd.ParamName);
        Assert.StartsWith("Sgd: the learning rate must be non-negative and finite; got -0.5.", sgd.Message);
        var adam = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(Parameters(), weightDecay: -2));
        Assert.Equal("weightDecay", adam.ParamName);
        Assert.StartsWith("Adam: the weight decay must be non-negative and finite; got -2.", adam.Message);
        var sgdDecay = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>([Tensor.Ones<float>(1, 1, requiresGrad: true)], 0.1, weightDecay: double.NaN));
        Assert.Equal("weightDecay", sgdDecay.ParamName);
    }
}
