namespace BehaviorPoints.Core.Engine;

/// <summary>How many times each limited rule has already applied to one lead, by period key.</summary>
public interface ILimitCounts
{
    /// <summary>The counts of one period (e.g. <c>day:2026-11-20</c>) by rule name, or null when there are none.</summary>
    IPeriodCounts? InPeriod(string periodKey);
}

/// <summary>One period's limit counts of one lead, by rule (counts belong to the rule's name across versions).</summary>
public interface IPeriodCounts
{
    /// <summary>How many times <paramref name="rule"/> applied in the period. Looked up by the compiled rule, not its name:
    /// the engine asks once per matching limited rule, and a reference look-up costs a fraction of hashing the name.</summary>
    int CountOf(CompiledRule rule);
}

/// <summary>Limit counts held in memory (a replay's, a preview's) for one compiled rule set; the ledger keeps its own over database rows.</summary>
public sealed class LimitCounts : ILimitCounts
{
    private readonly Dictionary<string, PeriodCounts> _byPeriod = [];

    public static ILimitCounts None { get; } = new LimitCounts();

    public IPeriodCounts? InPeriod(string periodKey) => _byPeriod.GetValueOrDefault(periodKey);

    public void Set(CompiledRule rule, string periodKey, int count) => Period(periodKey).Of(rule).Count = count;

    /// <summary>Every count held, by rule name, for writing them back.</summary>
    public IEnumerable<(string RuleName, string Period, int Count)> All =>
        _byPeriod.SelectMany(p => p.Value.Counts.All.Select(c => (c.Rule.Name, p.Key, c.Count)));

    /// <summary>Counts each limited hit once.</summary>
    public void Record(IEnumerable<RuleHit> hits)
    {
        foreach (var hit in hits)
        {
            if (hit.LimitPeriodKey is { } key)
            {
                Period(key).Of(hit.Rule).Count++;
            }
        }
    }

    private PeriodCounts Period(string periodKey)
    {
        if (!_byPeriod.TryGetValue(periodKey, out var period))
        {
            period = new PeriodCounts();
            _byPeriod[periodKey] = period;
        }
        return period;
    }

    private sealed class PeriodCounts : IPeriodCounts
    {
        public ByRule<RuleCount> Counts { get; } = new();

        public int CountOf(CompiledRule rule) => Counts.Get(rule)?.Count ?? 0;

        public RuleCount Of(CompiledRule rule)
        {
            if (Counts.Get(rule) is not { } count)
            {
                count = new RuleCount(rule);
                Counts.Set(rule, count);
            }
            return count;
        }
    }

    private sealed class RuleCount(CompiledRule rule)
    {
        public CompiledRule Rule { get; } = rule;
        public int Count { get; set; }
    }
}

/// <summary>
/// Values by the rules of one compiled rule set, in an array indexed by <see cref="CompiledRule.Position"/>: limit counts
/// are looked up once per matching limited rule, and an index costs a fraction of a dictionary look-up.
/// </summary>
internal sealed class ByRule<T> where T : class
{
    private T?[] _items = [];

    public T? Get(CompiledRule rule) => rule.Position < _items.Length ? _items[rule.Position] : null;

    public void Set(CompiledRule rule, T value)
    {
        if (rule.Position >= _items.Length)
        {
            Array.Resize(ref _items, Math.Max(rule.Position + 1, _items.Length * 2));
        }
        _items[rule.Position] = value;
    }

    public IEnumerable<T> All => _items.OfType<T>();
}
