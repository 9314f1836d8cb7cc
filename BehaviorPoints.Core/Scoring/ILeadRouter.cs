using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Acts on the score changes of a ledger transaction inside that transaction, after its rows are written: routing
/// (SPEC §10, <c>Routing/LeadRouter.cs</c>) fires the rules whose triggers the changes entered. Every path that credits
/// entries (ingest, manual adjustments, linking waiting behaviors, fading) calls it, so a lead is routed by whatever
/// made it enter a trigger.
/// </summary>
public interface ILeadRouter
{
    Task RouteAsync(WriteScope scope, LedgerWrites writes, CompiledRuleSet? ruleSet, DateTime now, CancellationToken cancellationToken);
}
