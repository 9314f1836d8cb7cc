using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Fit;

/// <summary>The compiled fit model version in force, compiled once per publish and re-checked by one indexed read.</summary>
public sealed class PublishedFitModels(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    private volatile CompiledFitModel? _current;

    /// <summary>The compiled version in force as of the caller's transaction, or null before the first publish.</summary>
    public async Task<CompiledFitModel?> CurrentAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default)
    {
        var version = await db.FitModels.AsNoTracking().OrderBy(m => m.Id).Select(m => m.PublishedVersion).FirstOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return null;
        }
        var cached = _current;
        if (cached?.Version == version)
        {
            return cached;
        }
        var json = await db.FitModelVersions.AsNoTracking().Where(v => v.Version == version).Select(v => v.DefinitionJson).SingleAsync(cancellationToken);
        var compiled = CompiledFitModel.Compile(FitModelService.Deserialize(json), version.Value);
        _current = compiled;
        return compiled;
    }

    /// <inheritdoc cref="CurrentAsync(BehaviorPointsDbContext, CancellationToken)"/>
    public async Task<CompiledFitModel?> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CurrentAsync(db, cancellationToken);
    }
}
