using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Core.Scoring;

/// <summary>Which write path changed the scores: a handler may act on some paths only.</summary>
public enum ScoreChangeCause
{
    /// <summary>Behaviors arrived (the API, the CSV import of behaviors, the demo).</summary>
    Ingest,

    /// <summary>Someone added a manual adjustment.</summary>
    Adjustment,

    /// <summary>A new or edited lead took the behaviors that were waiting unlinked for its email, phone or external id.</summary>
    Linking,

    /// <summary>Decay steps came due.</summary>
    Fading,

    /// <summary>A re-score rebuilt whole leads under a new rule-set version.</summary>
    Rescore,
}

/// <summary>
/// What one ledger transaction changed, after its rows are written: the leads it moved (each with its scoring columns
/// as stored before, in <see cref="LedgerWrites.Leads"/>), the entries it wrote and what they added to category scores.
/// One batch of changes (a whole group-committed ingest transaction), never one event at a time.
/// </summary>
public sealed record ScoreChanges(WriteScope Scope, LedgerWrites Writes, CompiledRuleSet? RuleSet, DateTime Now, ScoreChangeCause Cause)
{
    /// <summary>Whether any lead's intent level differs from the one stored before this transaction.</summary>
    public bool AnyLevelMoved => Writes.Leads.Any(l => l.Key.IntentLevel != l.Value.Level);
}

/// <summary>
/// A reaction to score changes (the list is in the composition root): runs inside the scoring transaction, after the
/// ledger's rows are written and before the commit, so what it writes commits or rolls back with the scores. It gets the
/// whole batch; it should cost nothing measurable when the batch changes nothing it cares about.
/// </summary>
public interface IScoreChangeHandler
{
    Task HandleAsync(ScoreChanges changes, CancellationToken cancellationToken);
}

/// <summary>
/// The ordered list of what happens after a score changes: every <see cref="IScoreChangeHandler"/> registered with
/// <see cref="ScoreChangeHandlerRegistration.AddScoreChangeHandler{THandler}"/>, in registration order. Every write path
/// of the ledger (ingest, adjustments, linking, fading, re-score) calls it once per transaction.
/// </summary>
public sealed class ScoreChangeHandlers(IEnumerable<IScoreChangeHandler> handlers)
{
    private readonly IScoreChangeHandler[] _handlers = [.. handlers];

    /// <summary>The handlers in the order they run.</summary>
    public IReadOnlyList<IScoreChangeHandler> InOrder => _handlers;

    public async Task RunAsync(ScoreChanges changes, CancellationToken cancellationToken)
    {
        if (changes.Writes.Leads.Count == 0)
        {
            return;
        }
        foreach (var handler in _handlers)
        {
            await handler.HandleAsync(changes, cancellationToken);
        }
    }
}

/// <summary>Adds a reaction to score changes: one line in the composition root.</summary>
public static class ScoreChangeHandlerRegistration
{
    /// <summary>Registers <typeparamref name="THandler"/> (a singleton) at the end of the handler list.</summary>
    public static IServiceCollection AddScoreChangeHandler<THandler>(this IServiceCollection services)
        where THandler : class, IScoreChangeHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton<IScoreChangeHandler>(sp => sp.GetRequiredService<THandler>());
        return services;
    }
}
