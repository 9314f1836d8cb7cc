using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Scoring;

/// <summary>Opens the ledger's statements on a unit of work's context: one implementation per database provider.</summary>
public interface ILedgerStore
{
    ILedgerStatements On(BehaviorPointsDbContext db);
}

/// <summary>
/// The ledger's hand-written statements, on the connection and inside the transaction of one unit of work. They are
/// the only SQL that writes score entries, limit counts, level changes and the daily roll-up outside EF, so each
/// column list is written once, in the provider's implementation (<c>Sqlite/SqliteLedgerStatements.cs</c>).
/// </summary>
public interface ILedgerStatements
{
    /// <summary>The lead each already-stored event went to (null when it is waiting unlinked), by event id.</summary>
    Dictionary<string, long?> StoredEvents(IEnumerable<string> eventIds);

    /// <summary>The leads with one of these ids, emails, phones or external ids, each once, oldest first.</summary>
    List<LedgerLead> Leads(IEnumerable<long> ids, IEnumerable<string> emails, IEnumerable<string> phones, IEnumerable<string> externalIds);

    /// <summary>
    /// The stored counts of the leads in <paramref name="periodKeys"/> (the periods the batch's behaviors fall in: a
    /// lead's counts of other days and months cannot limit them) for the rules in <paramref name="limitedRules"/>.
    /// </summary>
    IEnumerable<LimitCounter> Counters(IEnumerable<long> leadIds, IReadOnlySet<string> limitedRules, IEnumerable<string> periodKeys);

    /// <summary>The category scores of these leads, by lead and category (leads without any are left out).</summary>
    Dictionary<long, Dictionary<string, long>> CategoryScores(IEnumerable<long> leadIds);

    /// <summary>
    /// Writes every row of <paramref name="writes"/>: behaviors, entries (decay entries after the entries they fade),
    /// pending decay steps, limit counts, leads' changed columns, the daily roll-up, category scores, level and stage changes.
    /// </summary>
    void Write(LedgerWrites writes);

    /// <summary>
    /// Adds the sums alone, the daily roll-up and the category scores (the EF paths write everything else through the
    /// change tracker).
    /// </summary>
    void WriteSums(LedgerWrites writes);

    /// <summary>
    /// The pending decay steps due by <paramref name="now"/>, oldest due first, at most <paramref name="limit"/>, each with
    /// the entry it fades (rule, version, behavior) copied into <see cref="PendingDecay.Entry"/>.
    /// </summary>
    List<PendingDecay> DueDecays(DateTime now, int limit);

    /// <summary>Deletes these pending steps; returns how many there were (fewer means another writer took some).</summary>
    int DeletePending(IReadOnlyList<PendingDecay> steps);

    /// <summary>
    /// Moves the rule and decay entries of a range of leads to the superseded entries (with the version replacing them)
    /// and drops their limit counts and pending decay steps.
    /// </summary>
    Task SupersedeRuleEntriesAsync(long firstLeadId, long lastLeadId, DateTime now, int version, CancellationToken cancellationToken);

    /// <summary>Marks each behavior of a range of leads scored or not matched, by whether an entry points at it now.</summary>
    Task RefreshOutcomesAsync(long firstLeadId, long lastLeadId, CancellationToken cancellationToken);

    /// <summary>Moves every lead whose intent level differs under <paramref name="bands"/> and records each move as a level change.</summary>
    Task RebandAsync(IntentBands? bands, DateTime now, CancellationToken cancellationToken);
}
