using System.Text;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>
/// One row of a lead import: what it would create, the team it would go into, what else it would do
/// (<see cref="Notes"/>, such as creating a team) and everything wrong with it.
/// </summary>
public sealed record LeadImportRow(int Row, LeadInput Input, IReadOnlyList<FieldError> Errors, string? Team = null, IReadOnlyList<string>? Notes = null)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// A checked import that has written nothing yet; <see cref="FileErrors"/> are problems with the file as a whole and
/// <see cref="IgnoredColumns"/> the header's columns that are not lead fields.
/// </summary>
public sealed record LeadImportPreview(IReadOnlyList<LeadImportRow> Rows, IReadOnlyList<string> FileErrors, IReadOnlyList<string>? IgnoredColumns = null)
{
    public int ValidCount => Rows.Count(r => r.IsValid);
}

/// <summary>What an import wrote: how many leads, and the rows refused when they were written (the data changed since the preview).</summary>
public sealed record LeadImportResult(int Created, IReadOnlyList<LeadImportRow> Refused);

/// <summary>
/// Reads leads from CSV with a preview (nothing written until <see cref="ImportAsync"/>), and writes leads and entries
/// as CSV. Rows are checked exactly as the lead form and the API check a lead (<see cref="LeadWriteChecks"/>), for the
/// importing user's access.
/// </summary>
public sealed class LeadCsv(IDbContextFactory<BehaviorPointsDbContext> dbFactory, LeadCommands leads)
{
    public const int MaxRows = 100_000;

    /// <summary>Rows written per transaction.</summary>
    public const int RowsPerTransaction = 500;

    private static readonly string[] s_columns =
        ["name", "company", "email", "phone", "externalId", "ownerEmail", "team", "status", "industry", "companySize", "jobTitle", "region"];

    /// <summary>Checks every row; a row error names the row (1 is the first data row) and the field.</summary>
    public async Task<LeadImportPreview> PreviewAsync(Stream csv, LeadAccess access, CancellationToken cancellationToken = default)
    {
        var rows = new List<LeadImportRow>();
        var fileErrors = new List<string>();
        IReadOnlyList<string> ignored = [];
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var options = new CsvReaderOptions
        {
            NormalizeHeaderName = Normalize,
            MalformedData = CsvMalformedDataHandling.Recover,
            // Record numbers count the header row; data rows are numbered from 1 after it.
            OnMalformedRecord = record => malformed[record.RecordNumber - 1] = record.Reason,
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
            ignored = reader.Headers.Where(h => !known.Contains(Normalize(h))).ToList();

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
                if (malformed.TryGetValue(reader.RowNumber, out var reason))
                {
                    // The fields of a badly quoted row are not what the file meant: report the quoting, not them.
                    rows.Add(new LeadImportRow(row, input, [new("row", BrokenQuoting(reason))]));
                    if (reason == CsvMalformedReason.UnterminatedQuote)
                    {
                        var swallowed = LinesAfterTheFirst(reader);
                        fileErrors.Add(swallowed switch
                        {
                            0 => $"Row {row} opens a quote that is never closed. Close the quote and choose the file again.",
                            1 => $"Row {row} opens a quote that is never closed, so the row after it was not read: it went into row {row}. Close the quote and choose the file again.",
                            _ => $"Row {row} opens a quote that is never closed, so the {swallowed:N0} rows after it were not read: they went into row {row}. Close the quote and choose the file again.",
                        });
                    }
                    continue;
                }
                var errors = new List<FieldError>();
                var status = Field(reader, "status");
                if (status is not null)
                {
                    if (Enum.TryParse<LeadStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
                    {
                        input = input with { Status = parsed };
                    }
                    else
                    {
                        errors.Add(FieldError.Of("status", "Status '{0}' is not open, qualified, converted or lost.", status));
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

        return new LeadImportPreview(await CheckAgainstDatabaseAsync(rows, access, cancellationToken), fileErrors, ignored);
    }

    /// <summary>
    /// Creates the valid rows' leads, <see cref="RowsPerTransaction"/> per transaction, checking each row again as it
    /// is written (someone may have taken an email since the preview).
    /// </summary>
    public async Task<LeadImportResult> ImportAsync(LeadImportPreview preview, LeadAccess access, CancellationToken cancellationToken = default)
    {
        var created = 0;
        var refused = new List<LeadImportRow>();
        foreach (var chunk in preview.Rows.Where(r => r.IsValid).Chunk(RowsPerTransaction))
        {
            var results = await leads.CreateManyAsync(chunk.Select(r => r.Input).ToList(), access, chunk.Select(r => $"row {r.Row}").ToList(), cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results[i].LeadId is null)
                {
                    refused.Add(chunk[i] with { Errors = results[i].Errors });
                }
                else
                {
                    created++;
                }
            }
        }
        return new LeadImportResult(created, refused);
    }

    public static async Task WriteLeadsAsync(IAsyncEnumerable<LeadView> leads, Stream output, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(output, s_writerOptions, true);
        csv.WriteHeader(["id", "name", "company", "email", "phone", "externalId", "ownerEmail", "team", "status", "industry", "companySize", "jobTitle", "region", "behaviorPoints", "intentLevel", "fitScore", "lastActivityAt", "stage", "stageScore"]);
        await foreach (var lead in leads.WithCancellation(cancellationToken))
        {
            foreach (var value in new object?[] { lead.Id, lead.Name, lead.Company, lead.Email, lead.Phone, lead.ExternalId, lead.OwnerEmail, lead.Team, lead.Status.ToString().ToLowerInvariant(), lead.Industry, lead.CompanySize, lead.JobTitle, lead.Region, lead.BehaviorPoints, lead.IntentLevel, lead.FitScore, lead.LastActivityAt, lead.Stage, lead.StageScore })
            {
                csv.WriteField(value);
            }
            await csv.EndRecordAsync(cancellationToken);
        }
    }

    public static async Task WriteEntriesAsync(IAsyncEnumerable<ScoreEntryView> entries, Stream output, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(output, s_writerOptions, true);
        csv.WriteHeader(["id", "occurredAt", "scoredAt", "behavior", "rule", "points", "runningTotal", "ruleSetVersion", "eventId", "reason", "createdBy", "kind", "decaysEntryId", "category"]);
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            foreach (var value in new object?[] { entry.Id, entry.OccurredAt, entry.ScoredAt, entry.Behavior, entry.RuleName, entry.Points, entry.RunningTotal, entry.RuleSetVersion, entry.EventId, entry.Reason, entry.CreatedBy, entry.Kind.ToString().ToLowerInvariant(), entry.DecaysEntryId, entry.Category })
            {
                csv.WriteField(value);
            }
            await csv.EndRecordAsync(cancellationToken);
        }
    }

    // Spreadsheets run cells that start with = + - @ as formulas; user text is written with a leading quote instead.
    private static readonly CsvWriterOptions s_writerOptions = new() { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    private async Task<List<LeadImportRow>> CheckAgainstDatabaseAsync(List<LeadImportRow> rows, LeadAccess access, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var checks = await LeadWriteChecks.LoadAsync(db, rows.Select(r => r.Input).ToList(), access, cancellationToken);
        return rows.Select(row =>
        {
            var errors = row.Errors.ToList();
            var placement = checks.Check(row.Input, null, $"row {row.Row}", errors);
            var notes = new List<string>();
            if (placement.NewTeam is { } newTeam)
            {
                notes.Add($"Will create team {newTeam}.");
            }
            else if (row.Input.Team is null && placement.TeamName is { } team)
            {
                notes.Add($"Goes to your team {team}.");
            }
            return row with { Errors = errors, Team = placement.TeamName ?? row.Input.Team, Notes = notes };
        }).ToList();
    }

    private static string BrokenQuoting(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "The row's quoting is broken: a quoted field is never closed.",
        _ => "The row's quoting is broken: a quote inside a field must be doubled (\"\"), and text may not follow a closing quote.",
    };

    // The lines an unclosed quote read into one record: each a row of the file that was not read as one.
    private static int LinesAfterTheFirst(CsvReader reader)
    {
        var lines = 0;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            lines += (reader.GetStringOrNull(i) ?? "").Split('\n').Skip(1).Count(line => line.Trim().Length > 0);
        }
        return lines;
    }

    private static string? Field(CsvReader reader, string name) =>
        reader.TryGetFieldIndex(name, out var index) && reader.GetStringOrNull(index) is { } value && !string.IsNullOrWhiteSpace(value) ? Unescaped(value.Trim()) : null;

    /// <summary>
    /// A value as it was before an export neutralised it: the export writes a quote before text that a spreadsheet
    /// would run as a formula ('=SUM(…)), so importing that export gives back the original text.
    /// </summary>
    internal static string Unescaped(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;

    private static string Normalize(string header) => header.Replace(" ", "").Replace("_", "").ToLowerInvariant();
}
