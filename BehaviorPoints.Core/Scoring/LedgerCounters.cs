using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// The limit counters of the leads in one ledger transaction: loaded in one query, read by the engine, and bumped
/// (as tracked rows) for every limited rule that applied.
/// </summary>
internal sealed class LedgerCounters
{
    private readonly BehaviorPointsDbContext? _trackingDb;
    private readonly LedgerWrites _writes;
    private readonly CompiledRuleSet? _ruleSet;
    private readonly Dictionary<long, LeadCounters> _byLead = [];

    private LedgerCounters(BehaviorPointsDbContext? trackingDb, LedgerWrites writes, CompiledRuleSet? ruleSet)
    {
        _trackingDb = trackingDb;
        _writes = writes;
        _ruleSet = ruleSet;
    }

    /// <summary>
    /// The counters of the leads in an ingest transaction, for the periods of the behaviors at <paramref name="times"/>;
    /// every touched row goes to <paramref name="writes"/> for an upsert. Every period a hit can count against is among
    /// those read, so the upsert never replaces a count it did not read.
    /// </summary>
    public static LedgerCounters Read(ILedgerStatements reads, CompiledRuleSet? ruleSet, IEnumerable<long> leadIds, IEnumerable<DateTime> times, LedgerWrites writes)
    {
        var counters = new LedgerCounters(null, writes, ruleSet);
        if (ruleSet is { LimitedRuleNames.Count: > 0 })
        {
            counters.AddAll(reads.Counters(leadIds, ruleSet.LimitedRuleNames, ruleSet.LimitPeriodKeys(times)));
        }
        return counters;
    }

    /// <summary>The counters of one lead as tracked EF rows; rows for new counts are added to <paramref name="db"/>.</summary>
    public static async Task<LedgerCounters> TrackedAsync(BehaviorPointsDbContext db, CompiledRuleSet? ruleSet, long leadId, LedgerWrites writes, CancellationToken cancellationToken)
    {
        var counters = new LedgerCounters(db, writes, ruleSet);
        if (ruleSet is { LimitedRuleNames.Count: > 0 })
        {
            var limitedRules = ruleSet.LimitedRuleNames.ToList();
            counters.AddAll(await db.LimitCounters.Where(c => c.LeadId == leadId && limitedRules.Contains(c.RuleName)).ToListAsync(cancellationToken));
        }
        return counters;
    }

    private void AddAll(IEnumerable<LimitCounter> rows)
    {
        foreach (var row in rows)
        {
            For(row.LeadId).Add(row);
        }
    }

    public LeadCounters For(long leadId)
    {
        if (!_byLead.TryGetValue(leadId, out var lead))
        {
            lead = new LeadCounters(_trackingDb, _writes, _ruleSet, leadId);
            _byLead[leadId] = lead;
        }
        return lead;
    }

    internal sealed class LeadCounters(BehaviorPointsDbContext? trackingDb, LedgerWrites writes, CompiledRuleSet? ruleSet, long leadId) : ILimitCounts
    {
        // By period, then rule: the engine asks for a period once per behavior, then per rule.
        private readonly Dictionary<string, PeriodRows> _byPeriod = [];

        // Rows are loaded for the rule set's limited rules only, so each has its rule.
        public void Add(LimitCounter row)
        {
            if (ruleSet?.LimitedRule(row.RuleName) is { } rule)
            {
                Period(row.Period).Rows.Set(rule, row);
            }
        }

        public IPeriodCounts? InPeriod(string periodKey) => _byPeriod.GetValueOrDefault(periodKey);

        private PeriodRows Period(string periodKey)
        {
            if (!_byPeriod.TryGetValue(periodKey, out var period))
            {
                period = new PeriodRows();
                _byPeriod[periodKey] = period;
            }
            return period;
        }

        public void Record(IReadOnlyList<RuleHit> hits)
        {
            foreach (var hit in hits)
            {
                if (hit.LimitPeriodKey is not { } period)
                {
                    continue;
                }
                var rows = Period(period).Rows;
                if (rows.Get(hit.Rule) is { } row)
                {
                    row.Count++;
                }
                else
                {
                    row = new LimitCounter { LeadId = leadId, RuleName = hit.Rule.Name, Period = period, Count = 1 };
                    rows.Set(hit.Rule, row);
                    trackingDb?.LimitCounters.Add(row);
                }
                writes.Counters.Add(row);
            }
        }

        private sealed class PeriodRows : IPeriodCounts
        {
            public ByRule<LimitCounter> Rows { get; } = new();

            public int CountOf(CompiledRule rule) => Rows.Get(rule)?.Count ?? 0;
        }
    }
}
