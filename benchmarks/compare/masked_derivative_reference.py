"""PyTorch 1.13 reference values for tests/AutoGrad.Tests/Ops/MaskedDerivativeSeedTests.cs: the masked derivatives
(relu, abs, clamp, maximum, max/min along a dim) for every pair of an input and a seed, first order and the derivative
of the gradient with respect to the seed. Prints the C# tables; asserts float64 and float32 agree.
Run: python3 benchmarks/compare/masked_derivative_reference.py"""
import torch, math
inf=float('inf'); nan=float('nan')
def lit(v):
    if math.isnan(v): return "N"
    if v==inf: return "P"
    if v==-inf: return "M"
    if v==0: return "-0.0" if math.copysign(1,v)<0 else "0"
    r=repr(float(v))
    return r
def arr(vs): return "[" + ", ".join(lit(v) for v in vs) + "]"
seeds=[inf,-inf,nan,-2.5,0.0,-0.0,2.5,1e-30]
def both(fn):
    outs=[fn(dt) for dt in (torch.float64, torch.float32)]
    a,b=outs
    for u,v in zip(a,b):
        assert (math.isnan(u) and math.isnan(v)) or (u==v and math.copysign(1,u)==math.copysign(1,v)) or (abs(u-v)<=1e-6*abs(u)), (u,v)
    return a
# unary ops: pairs of (x, g)
def unary(name, f, xs):
    X=[x for x in xs for g in seeds]; G=[g for x in xs for g in seeds]
    def run(dt):
        x=torch.tensor(X,dtype=dt,requires_grad=True); g=torch.tensor(G,dtype=dt)
        f(x).backward(g); return x.grad.tolist()
    def run2(dt):
        # second order: d/dg of sum(grad_x * h), h = G reversed
        x=torch.tensor(X,dtype=dt,requires_grad=True); g=torch.tensor(G,dtype=dt,requires_grad=True)
        gx,=torch.autograd.grad(f(x),x,g,create_graph=True)
        h=torch.tensor(G[::-1],dtype=dt)
        gg,=torch.autograd.grad(gx,g,h); return gg.tolist()
    print(f"    // {name}: x = {arr(xs)}, each with seeds {arr(seeds)}")
    print(f"    private static readonly double[] {name}X = {arr(X)};")
    print(f"    private static readonly double[] {name}Seed = {arr(G)};")
    print(f"    private static readonly double[] {name}Torch = {arr(both(run))};")
    print(f"    private static readonly double[] {name}TorchOfSeed = {arr(both(run2))};")
    print()
unary("Relu", torch.relu, [nan,0.0,-0.0,1.0,-1.0,inf,-inf,1e-40])
unary("Abs", torch.abs, [nan,0.0,-0.0,1.0,-1.0,inf,-inf])
unary("Clamp", lambda x: torch.clamp(x,-1,1), [nan,-1.0,1.0,2.0,-2.0,0.5,inf,-inf,-0.0])
# maximum
A=[nan,1,nan,2,1,0,-0.0,inf,-inf,3]; B=[1,nan,nan,1,2,-0.0,0,inf,-inf,3]
AA=[a for a in A for g in seeds]; BB=[b for b in B for g in seeds]; G=[g for a in A for g in seeds]
def runm(dt, which):
    a=torch.tensor(AA,dtype=dt,requires_grad=True); b=torch.tensor(BB,dtype=dt,requires_grad=True)
    torch.maximum(a,b).backward(torch.tensor(G,dtype=dt)); return (a.grad if which==0 else b.grad).tolist()
def runm2(dt, which):
    a=torch.tensor(AA,dtype=dt,requires_grad=True); b=torch.tensor(BB,dtype=dt,requires_grad=True); g=torch.tensor(G,dtype=dt,requires_grad=True)
    ga,gb=torch.autograd.grad(torch.maximum(a,b),[a,b],g,create_graph=True)
    h=torch.tensor(G[::-1],dtype=dt)
    gg,=torch.autograd.grad(ga if which==0 else gb,g,h); return gg.tolist()
print(f"    // Maximum: a = {arr(A)}, b = {arr(B)}, each pair with seeds {arr(seeds)}")
print(f"    private static readonly double[] MaximumA = {arr(AA)};")
print(f"    private static readonly double[] MaximumB = {arr(BB)};")
print(f"    private static readonly double[] MaximumSeed = {arr(G)};")
print(f"    private static readonly double[] MaximumTorchA = {arr(both(lambda dt: runm(dt,0)))};")
print(f"    private static readonly double[] MaximumTorchB = {arr(both(lambda dt: runm(dt,1)))};")
print(f"    private static readonly double[] MaximumTorchAOfSeed = {arr(both(lambda dt: runm2(dt,0)))};")
print(f"    private static readonly double[] MaximumTorchBOfSeed = {arr(both(lambda dt: runm2(dt,1)))};")
print()
# max/min along dim 1: rows = lanes, one seed per lane
lanes=[[1,nan,3,nan],[3,1,3,2],[-0.0,0.0,-1,-0.0],[inf,inf,-inf,1]]
X=[]; G=[]
for l in lanes:
    for g in seeds: X.append(l); G.append(g)
def runl(dt, mx):
    x=torch.tensor(X,dtype=dt,requires_grad=True)
    v,_=(torch.max if mx else torch.min)(x,1); v.backward(torch.tensor(G,dtype=dt)); return x.grad.flatten().tolist()
def runl2(dt, mx):
    x=torch.tensor(X,dtype=dt,requires_grad=True); g=torch.tensor(G,dtype=dt,requires_grad=True)
    v,_=(torch.max if mx else torch.min)(x,1)
    gx,=torch.autograd.grad(v,x,g,create_graph=True)
    h=torch.tensor([float(k%5)-2.5 if k%7 else inf for k in range(gx.numel())],dtype=dt).reshape(gx.shape)
    gg,=torch.autograd.grad(gx,g,h); return gg.tolist()
print(f"    // Max/Min along axis 1: each lane of {len(lanes[0])} elements with each seed (rows = lanes)")
print(f"    private static readonly double[] LanesX = {arr(sum(X,[]))};")
print(f"    private static readonly double[] LanesSeed = {arr(G)};")
print(f"    private static readonly double[] MaxTorch = {arr(both(lambda dt: runl(dt,True)))};")
print(f"    private static readonly double[] MinTorch = {arr(both(lambda dt: runl(dt,False)))};")
print(f"    private static readonly double[] MaxTorchOfSeed = {arr(both(lambda dt: runl2(dt,True)))};")
print(f"    private static readonly double[] MinTorchOfSeed = {arr(both(lambda dt: runl2(dt,False)))};")
