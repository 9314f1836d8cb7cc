using System.Text;
using BehaviorPoints.Core.Persistence;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>One row of a lead import: what it would create and everything wrong with it.</summary>
public sealed record LeadImportRow(int Row, LeadInput Input, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>A checked import that has written nothing yet; <see cref="FileErrors"/> are problems with the file as a whole.</summary>
public sealed record LeadImportPreview(IReadOnlyList<LeadImportRow> Rows, IReadOnlyList<string> FileErrors)
{
    public int ValidCount => Rows.Count(r => r.IsValid);
}

/// <summary>Reads leads from CSV with a preview (nothing written until <see cref="ImportAsync"/>), and writes leads and entries as CSV.</summary>
public sealed class LeadCsv(IDbContextFactory<BehaviorPointsDbContext> dbFactory, LeadService leads)
{
    public const int MaxRows = 10_000;

    private static readonly string[] s_columns =
        ["name", "company", "email", "phone", "externalId", "ownerEmail", "team", "status", "industry", "companySize", "jobTitle", "region"];

    /// <summary>Checks every row; a row error names the row (1 is the first data row) and the field.</summary>
    public async Task<LeadImportPreview> PreviewAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        var rows = new List<LeadImportRow>();
        var fileErrors = new List<string>();
        var malformed = new HashSet<long>();
        var options = new CsvReaderOptions
        {
            NormalizeHeaderName = Normalize,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record => malformed.Add(record.RecordNumber),
            MaxRecordSize = 1024 * 1024,
        };

        try
        {
            await using var reader = CsvReader.Create(csv, options, true);
            await reader.ReadHeaderAsync(cancellationToken);
            if (reader.Headers.Count == 0)
            {
                return new LeadImportPreview([], ["The file is empty: it needs a header row with at least a name column."]);
            }
            var headers = reader.Headers.Select(Normalize).ToHashSet();
            if (!headers.Contains("name"))
            {
                return new LeadImportPreview([], [$"The header row has no name column. Known columns: {string.Join(", ", s_columns)}."]);
            }
            var known = s_columns.Select(Normalize).ToHashSet();
            var unknown = reader.Headers.Where(h => !known.Contains(Normalize(h))).ToList();
            if (unknown.Count > 0)
            {
                fileErrors.Add($"These columns are ignored: {string.Join(", ", unknown)}.");
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                if (rows.Count >= MaxRows)
                {
                    fileErrors.Add($"Only the first {MaxRows:N0} rows are read; split larger files.");
                    break;
                }
                var row = (int)reader.RowNumber;
                var input = new LeadInput
                {
                    Name = Field(reader, "name") ?? "",
                    Company = Field(reader, "company"),
                    Email = Field(reader, "email"),
                    Phone = Field(reader, "phone"),
                    ExternalId = Field(reader, "externalId"),
                    OwnerEmail = Field(reader, "ownerEmail"),
                    Team = Field(reader, "team"),
                    Industry = Field(reader, "industry"),
                    CompanySize = Field(reader, "companySize"),
                    JobTitle = Field(reader, "jobTitle"),
                    Region = Field(reader, "region"),
                };
                var errors = new List<FieldError>();
                if (malformed.Contains(reader.RowNumber))
                {
                    errors.Add(new("row", "The row's quoting is broken (a quote inside a field must be doubled, and a quoted field must be closed)."));
                }
                var status = Field(reader, "status");
                if (status is not null)
                {
                    if (Enum.TryParse<LeadStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
                    {
                        input = input with { Status = parsed };
                    }
                    else
                    {
                        errors.Add(new("status", $"Status '{status}' is not open, qualified, converted or lost."));
                    }
                }
                errors.AddRange(LeadValidator.Validate(input));
                rows.Add(new LeadImportRow(row, input, errors));
            }
        }
        catch (Exception exception) when (exception is CsvFormatException or DecoderFallbackException or InvalidDataException)
        {
            fileErrors.Add($"The file could not be read as CSV: {exception.Message}");
        }

        return new LeadImportPreview(await CheckAgainstDatabaseAsync(rows, cancellationToken), fileErrors);
    }

    /// <summary>Creates the valid rows' leads; returns how many were created.</summary>
    public async Task<int> ImportAsync(LeadImportPreview preview, CancellationToken cancellationToken = default)
    {
        var created = 0;
        foreach (var row in preview.Rows.Where(r => r.IsValid))
        {
            await leads.CreateAsync(row.Input, cancellationToken);
            created++;
        }
        return created;
    }

    public static async Task WriteLeadsAsync(IAsyncEnumerable<LeadView> leads, Stream output, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(output, s_writerOptions, true);
        csv.WriteHeader(["id", "name", "company", "email", "phone", "externalId", "ownerEmail", "team", "status", "industry", "companySize", "jobTitle", "region", "behaviorPoints", "intentLevel", "fitScore", "lastActivityAt"]);
        await foreach (var lead in leads.WithCancellation(cancellationToken))
        {
            foreach (var value in new object?[] { lead.Id, lead.Name, lead.Company, lead.Email, lead.Phone, lead.ExternalId, lead.OwnerEmail, lead.Team, lead.Status.ToString().ToLowerInvariant(), lead.Industry, lead.CompanySize, lead.JobTitle, lead.Region, lead.BehaviorPoints, lead.IntentLevel, lead.FitScore, lead.LastActivityAt })
            {
                csv.WriteField(value);
            }
            await csv.EndRecordAsync(cancellationToken);
        }
    }

    public static async Task WriteEntriesAsync(IAsyncEnumerable<ScoreEntryView> entries, Stream output, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(output, s_writerOptions, true);
        csv.WriteHeader(["id", "occurredAt", "scoredAt", "behavior", "rule", "points", "runningTotal", "ruleSetVersion", "eventId", "reason", "createdBy"]);
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            foreach (var value in new object?[] { entry.Id, entry.OccurredAt, entry.ScoredAt, entry.Behavior, entry.RuleName, entry.Points, entry.RunningTotal, entry.RuleSetVersion, entry.EventId, entry.Reason, entry.CreatedBy })
            {
                csv.WriteField(value);
            }
            await csv.EndRecordAsync(cancellationToken);
        }
    }

    // Spreadsheets run cells that start with = + - @ as formulas; user text is written with a leading quote instead.
    private static readonly CsvWriterOptions s_writerOptions = new() { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    private async Task<List<LeadImportRow>> CheckAgainstDatabaseAsync(List<LeadImportRow> rows, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owners = rows.Select(r => r.Input.OwnerEmail?.Trim().ToUpperInvariant()).Where(e => e is not null).Distinct().ToList();
        var knownOwners = (await db.Users.Where(u => owners.Contains(u.NormalizedEmail)).Select(u => u.NormalizedEmail).ToListAsync(cancellationToken)).ToHashSet();
        var emails = rows.Select(r => ContactIdentity.NormalizeEmail(r.Input.Email)).Where(e => e is not null).Distinct().ToList();
        var takenEmails = (await db.Leads.Where(l => l.Email != null && emails.Contains(l.Email)).Select(l => l.Email!).ToListAsync(cancellationToken)).ToHashSet();
        var externalIds = rows.Select(r => r.Input.ExternalId?.Trim()).Where(e => !string.IsNullOrEmpty(e)).Distinct().ToList();
        var takenExternal = (await db.Leads.Where(l => l.ExternalId != null && externalIds.Contains(l.ExternalId)).Select(l => l.ExternalId!).ToListAsync(cancellationToken)).ToHashSet();

        var seenEmails = new Dictionary<string, int>();
        var seenExternal = new Dictionary<string, int>();
        return rows.Select(row =>
        {
            var errors = row.Errors.ToList();
            if (row.Input.OwnerEmail?.Trim().ToUpperInvariant() is { Length: > 0 } owner && !knownOwners.Contains(owner))
            {
                errors.Add(new("ownerEmail", $"ownerEmail '{row.Input.OwnerEmail.Trim()}' names no user."));
            }
            if (ContactIdentity.NormalizeEmail(row.Input.Email) is { } email)
            {
                if (takenEmails.Contains(email)) errors.Add(new("email", $"A lead with the email {email} already exists."));
                else if (seenEmails.TryGetValue(email, out var first)) errors.Add(new("email", $"The email {email} is also on row {first}."));
                else seenEmails[email] = row.Row;
            }
            if (row.Input.ExternalId?.Trim() is { Length: > 0 } externalId)
            {
                if (takenExternal.Contains(externalId)) errors.Add(new("externalId", $"A lead with the external id {externalId} already exists."));
                else if (seenExternal.TryGetValue(externalId, out var first)) errors.Add(new("externalId", $"The external id {externalId} is also on row {first}."));
                else seenExternal[externalId] = row.Row;
            }
            return row with { Errors = errors };
        }).ToList();
    }

    private static string? Field(CsvReader reader, string name) =>
        reader.TryGetFieldIndex(name, out var index) && reader.GetStringOrNull(index) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string Normalize(string header) => header.Replace(" ", "").Replace("_", "").ToLowerInvariant();
}
