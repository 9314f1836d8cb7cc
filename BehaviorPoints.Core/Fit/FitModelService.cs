using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Fit;

/// <summary>A published fit model version as listed in the history.</summary>
public sealed record FitModelVersionInfo(int Version, DateTime PublishedAt, string? PublishedBy, int Rules);

/// <summary>
/// Edits the fit model's draft and publishes it as immutable versions, like the behavior rule set. Publishing asks
/// <see cref="FitRecalculation"/> to recompute every lead in the background.
/// </summary>
public sealed class FitModelService(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    FitRecalculation recalculation,
    TimeProvider clock)
{
    /// <summary>The draft, or an empty model with the default bands before the first save.</summary>
    public async Task<FitModelDefinition> GetDraftAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.FitModels.AsNoTracking().OrderBy(m => m.Id).Select(m => m.DraftJson).FirstOrDefaultAsync(cancellationToken);
        return json is null ? FitModelDefinition.Empty : Deserialize(json);
    }

    /// <summary>Saves the draft after validating it; the version in force is untouched.</summary>
    public async Task SaveDraftAsync(FitModelDefinition definition, CancellationToken cancellationToken = default)
    {
        var errors = FitModelValidator.Validate(definition);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.FitModels.OrderBy(m => m.Id).FirstOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            model = new FitModel();
            db.FitModels.Add(model);
        }
        model.DraftJson = JsonSerializer.Serialize(definition with { Rules = [.. definition.Rules.Select(r => r with { Name = r.Name.Trim() })] }, CoreJson.Options);
        model.DraftUpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Publishes the saved draft as the next version and starts recomputing every lead's fit in the background.
    /// Leads created or edited from now on get the new version's fit at once.
    /// </summary>
    public async Task<int> PublishAsync(string? publishedBy, CancellationToken cancellationToken = default)
    {
        return await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var model = await db.FitModels.OrderBy(m => m.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("There is no fit model to publish yet: save a draft first.");
            var errors = FitModelValidator.Validate(Deserialize(model.DraftJson));
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var version = (model.PublishedVersion ?? 0) + 1;
            db.FitModelVersions.Add(new FitModelVersion
            {
                Version = version,
                DefinitionJson = model.DraftJson,
                PublishedAt = now,
                PublishedBy = publishedBy,
            });
            model.PublishedVersion = version;
            await LeadJob.StartAsync(db, FitRecalculation.JobCode, version, publishedBy, now, cancellationToken);
            scope.AfterCommit(recalculation.Request);
            return version;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<FitModelVersionInfo>> ListVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versions = await db.FitModelVersions.AsNoTracking().OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        return versions.Select(v => new FitModelVersionInfo(v.Version, v.PublishedAt, v.PublishedBy, Deserialize(v.DefinitionJson).Rules.Count)).ToList();
    }

    public async Task<FitModelDefinition?> GetVersionAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.FitModelVersions.AsNoTracking().Where(v => v.Version == version).Select(v => v.DefinitionJson).FirstOrDefaultAsync(cancellationToken);
        return json is null ? null : Deserialize(json);
    }

    /// <summary>The most common values of a lead field, for the rule editor's suggestions (one grouped query).</summary>
    public async Task<IReadOnlyList<string>> CommonValuesAsync(string field, int limit = 30, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = db.Leads.AsNoTracking();
        IQueryable<string?>? values = field switch
        {
            FitFields.Industry => leads.Select(l => l.Industry),
            FitFields.CompanySize => leads.Select(l => l.CompanySize),
            FitFields.JobTitle => leads.Select(l => l.JobTitle),
            FitFields.Region => leads.Select(l => l.Region),
            FitFields.Company => leads.Select(l => l.Company),
            _ => null, // email domains are derived, not stored: no suggestions
        };
        if (values is null)
        {
            return [];
        }
        return await values.Where(v => v != null)
            .GroupBy(v => v!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Take(limit)
            .Select(g => g.Key)
            .ToListAsync(cancellationToken);
    }

    internal static FitModelDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<FitModelDefinition>(json, CoreJson.Options) ?? FitModelDefinition.Empty;
}
