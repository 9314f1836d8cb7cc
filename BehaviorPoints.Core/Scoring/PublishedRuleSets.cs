using System.Text.Json;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Holds the compiled published version of the Leads rule set. It is compiled once per publish; each scoring
/// transaction checks the published version number (one indexed read) and recompiles only when it moved.
/// </summary>
public sealed class PublishedRuleSets
{
    private volatile CompiledRuleSet? _current;

    /// <summary>The published version as of the caller's transaction, or null when nothing is published yet.</summary>
    public async Task<CompiledRuleSet?> CurrentAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default)
    {
        var version = await db.RuleSets.AsNoTracking()
            .Where(r => r.ScoringObject == ScoringObjects.Leads)
            .Select(r => r.PublishedVersion)
            .FirstOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return null;
        }

        var cached = _current;
        if (cached?.Version == version)
        {
            return cached;
        }

        var json = await db.RuleSetVersions.AsNoTracking()
            .Where(v => v.Version == version && db.RuleSets.Any(r => r.Id == v.RuleSetId && r.ScoringObject == ScoringObjects.Leads))
            .Select(v => v.DefinitionJson)
            .SingleAsync(cancellationToken);
        var compiled = CompiledRuleSet.Compile(JsonSerializer.Deserialize<RuleSetDefinition>(json, CoreJson.Options)!, version.Value);
        _current = compiled;
        return compiled;
    }

    /// <summary>The intent bands in force: the published version's, or the default ones before anything is published.</summary>
    public static IntentBands? BandsOf(CompiledRuleSet? ruleSet) => ruleSet is null ? IntentBands.Default : ruleSet.Bands;
}
