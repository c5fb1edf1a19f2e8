using System.Globalization;

namespace AutoGrad;

/// <summary>A formula that does not parse: <see cref="Column"/> (1-based) is where the problem is.</summary>
public sealed class FormulaSyntaxException(string problem, string text, int column)
    : FormatException(string.Create(CultureInfo.InvariantCulture, $"column {column}: {problem}\n  {text}\n  {new string(' ', Math.Max(0, column - 1))}^"))
{
    /// <summary>The 1-based column of the problem.</summary>
    public int Column => column;

    /// <summary>The problem without the position.</summary>
    public string Problem => problem;
}

/// <summary>
/// Reads formulas as people type them, in the notation <see cref="SymbolicFormula{T}.Text"/> renders or in ASCII:
/// <list type="table">
/// <item><term>matrix product</term><description><c>·</c>, <c>@</c>, or two factors side by side (<c>W2ᵀ δ</c>); a number side by side is a scalar multiple (<c>2(f − y)</c>)</description></item>
/// <item><term>element-wise</term><description><c>⊙</c> or <c>*</c> (also <c>∘</c>), <c>/</c>, <c>+</c>, <c>−</c> or <c>-</c></description></item>
/// <item><term>transpose, powers</term><description><c>ᵀ</c>, <c>^T</c> or <c>.T</c>; <c>²</c>, <c>^2</c>, <c>^-1</c></description></item>
/// <item><term>functions</term><description><c>σ</c>/<c>sigmoid</c>, <c>σ′</c>/<c>dsigmoid</c>/<c>sigmoid'</c>, <c>tanh</c>, <c>tanh′</c>/<c>dtanh</c>, <c>relu</c>, <c>relu′</c>/<c>drelu</c>, <c>exp</c>, <c>exp′</c>/<c>dexp</c>, <c>log</c>, <c>log′</c>/<c>dlog</c>, <c>softplus</c>, <c>softplus′</c>/<c>dsoftplus</c>, <c>Σ</c>/<c>sum</c>, <c>Σrows</c>/<c>sumrows</c>, <c>Σcols</c>/<c>sumcols</c></description></item>
/// </list>
/// Products (· and ⊙ and /) bind tighter than + and −, and chain from the left. With a <see cref="ProofContext"/>, the
/// names are its declared names and aliases (matched longest first, so <c>W(1)</c> and <c>a^(L-1)</c> are names), with
/// <c>yhat</c> for <c>ŷ</c>; any other name is an error at its column.
/// </summary>
public static class FormulaParser
{
    /// <summary>Parses <paramref name="text"/>; names are checked against <paramref name="context"/> when one is given.</summary>
    public static SymbolicExpression Parse(string text, ProofContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Reader(text, context).ReadAll();
    }

    private sealed class Reader(string text, ProofContext? context)
    {
        private readonly Dictionary<string, string> functions = FunctionTable(context);
        private readonly string[] functionSpellings = [.. FunctionTable(context).Keys.OrderByDescending(s => s.Length)];

        private static Dictionary<string, string> FunctionTable(ProofContext? context)
        {
            var table = new Dictionary<string, string>(FormulaFunctions.Spellings, StringComparer.Ordinal);
            if (context is not null) foreach (var (spelling, function) in context.FunctionAliases) table[spelling] = function;
            return table;
        }
        private readonly string[] names = context is null ? [] : [.. context.Spellings.OrderByDescending(s => s.Length)];
        private int position;

        public SymbolicExpression ReadAll()
        {
            SkipSpace();
            if (position == text.Length) throw Error("the formula is empty", position);
            var e = Sum();
            SkipSpace();
            if (position < text.Length)
            {
                throw Error(text[position] == ')' ? "a closing parenthesis without an opening one" : $"unexpected '{text[position]}'", position);
            }
            return e;
        }

        private SymbolicExpression Sum()
        {
            var e = Product();
            while (true)
            {
                SkipSpace();
                if (At('+')) { position++; e = new SymbolBinary("+", e, Product()); }
                else if (At('−') || At('-')) { position++; e = new SymbolBinary("−", e, Product()); }
                else return e;
            }
        }

        private SymbolicExpression Product()
        {
            var e = Unary();
            while (true)
            {
                SkipSpace();
                string? op = position < text.Length ? text[position] switch
                {
                    '·' or '@' or '⋅' => "·",
                    '⊙' or '*' or '∘' => "⊙",
                    '/' => "/",
                    _ => null,
                } : null;
                if (op is not null)
                {
                    position++;
                    e = new SymbolBinary(op, e, Unary());
                }
                else if (StartsOperand())
                {
                    var right = Unary();
                    e = new SymbolBinary(e is SymbolConstant || right is SymbolConstant ? "⊙" : "·", e, right);
                }
                else return e;
            }
        }

        private bool StartsOperand() =>
            position < text.Length && (text[position] == '(' || char.IsLetterOrDigit(text[position]) || text[position] is 'σ' or 'Σ' or '.' && Peek(1) != 'T');

        private SymbolicExpression Unary()
        {
            SkipSpace();
            if (At('−') || At('-'))
            {
                position++;
                var operand = Unary();
                return operand is SymbolConstant c ? new SymbolConstant(-c.Value) : new SymbolFunction("−", operand);
            }
            return Postfix(Primary());
        }

        private SymbolicExpression Postfix(SymbolicExpression e)
        {
            while (position < text.Length)
            {
                int before = position;
                SkipSpace();
                if (!At('ᵀ') && !At('²') && !At('^'))
                {
                    position = before;
                }
                if (At('ᵀ')) { position++; e = new SymbolFunction("ᵀ", e); }
                else if (At('²')) { position++; e = new SymbolFunction("²", e); }
                else if (At('.') && Peek(1) == 'T' && !IsNameChar(Peek(2))) { position += 2; e = new SymbolFunction("ᵀ", e); }
                else if (At('^'))
                {
                    position++;
                    SkipSpace();
                    if (At('T') && !IsNameChar(Peek(1))) { position++; e = new SymbolFunction("ᵀ", e); continue; }
                    bool parenthesised = At('(');
                    if (parenthesised) position++;
                    int numberStart = position;
                    if (At('-') || At('−')) position++;
                    double exponent = Number() ?? throw Error("expected T or a number after ^", position);
                    if (text[numberStart] == '−') exponent = -Math.Abs(exponent);
                    if (parenthesised) Expect(')', "a ')' closing the exponent");
                    e = new SymbolFunction("^" + exponent.ToString(CultureInfo.InvariantCulture), e);
                }
                else return e;
            }
            return e;
        }

        private SymbolicExpression Primary()
        {
            SkipSpace();
            if (position == text.Length) throw Error("the formula ends where an operand is expected", position);
            int start = position;
            if (At('('))
            {
                position++;
                var inner = Sum();
                SkipSpace();
                if (!At(')')) throw Error(string.Create(CultureInfo.InvariantCulture, $"a '(' at column {start + 1} is not closed"), position);
                position++;
                return inner;
            }
            if (Number() is { } value) return new SymbolConstant(value);
            if (KnownName() is { } name) return new SymbolName(name);
            foreach (var spelling in functionSpellings)
            {
                if (string.CompareOrdinal(text, position, spelling, 0, spelling.Length) != 0) continue;
                int after = position + spelling.Length;
                while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
                if (after < text.Length && text[after] == '(' && (!IsNameChar(text[position + spelling.Length - 1]) || !IsNameChar(Peek(spelling.Length))))
                {
                    position = after + 1;
                    var argument = Sum();
                    SkipSpace();
                    if (!At(')')) throw Error(string.Create(CultureInfo.InvariantCulture, $"the argument of {spelling} (column {start + 1}) is not closed with ')'"), position);
                    position++;
                    return new SymbolFunction(functions[spelling], argument);
                }
            }
            if (IsNameChar(text[position]) && !char.IsAsciiDigit(text[position]))
            {
                while (position < text.Length && IsNameChar(text[position])) position++;
                string word = text[start..position];
                if (context is null) return new SymbolName(word);
                if (word == "yhat" && context.TryShape("ŷ", out _)) return new SymbolName("ŷ");
                if (Juxtaposed(start) is { } product) return product;
                if (functions.ContainsKey(word)) throw Error($"the function {word} needs an argument in parentheses", start);
                throw Error($"unknown name {word} (known: {string.Join(", ", context.Names.Order(StringComparer.Ordinal))})", start);
            }
            throw Error(text[position] == ')' ? "an operand is missing before ')'" : $"unexpected '{text[position]}' where an operand is expected", position);
        }

        /// <summary>A word that is known names written side by side (<c>XW</c> for X · W), as a product; null if it is not.</summary>
        private SymbolicExpression? Juxtaposed(int start)
        {
            var parts = new List<SymbolicExpression>();
            int at = start;
            do
            {
                string? name = names.FirstOrDefault(n => string.CompareOrdinal(text, at, n, 0, n.Length) == 0);
                if (name is null) return null;
                parts.Add(new SymbolName(name));
                at += name.Length;
            }
            while (at < text.Length && IsNameChar(text[at]));
            if (parts.Count < 2) return null;
            position = at;
            return parts.Skip(1).Aggregate(parts[0], (product, next) => new SymbolBinary("·", product, next));
        }

        private string? KnownName()
        {
            foreach (var name in names)
            {
                if (string.CompareOrdinal(text, position, name, 0, name.Length) != 0) continue;
                if (IsNameChar(name[^1]) && IsNameChar(Peek(name.Length))) continue;
                position += name.Length;
                return name;
            }
            return null;
        }

        private double? Number()
        {
            int start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.' && Peek(1) != 'T')) position++;
            if (position < text.Length && text[position] is 'e' or 'E' && position > start && (char.IsAsciiDigit(Peek(1)) || Peek(1) is '-' or '+' && char.IsAsciiDigit(Peek(2))))
            {
                position += 2;
                while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            }
            if (position == start) return null;
            if (!double.TryParse(text.AsSpan(start, position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw Error($"'{text[start..position]}' is not a number", start);
            }
            return value;
        }

        private static bool IsNameChar(char c) => c is not ('ᵀ' or '²') && char.IsLetterOrDigit(c) || c == '_' || c is >= '₀' and <= '₉' || c == '\u0302';

        private char Peek(int offset) => position + offset < text.Length ? text[position + offset] : '\0';

        private bool At(char c) => position < text.Length && text[position] == c;

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        }

        private void Expect(char c, string what)
        {
            SkipSpace();
            if (!At(c)) throw Error($"expected {what}", position);
            position++;
        }

        private FormulaSyntaxException Error(string problem, int index) => new(problem, text, index + 1);
    }
}
