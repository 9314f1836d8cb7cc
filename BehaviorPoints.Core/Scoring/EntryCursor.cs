using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// A position in a lead's entries, which are listed newest first by when they happened (a behavior's time, an
/// adjustment's creation), ties broken by id. The cursor holds both, so paging stays stable when a re-score replaces
/// entries with new ids. Its text form is <c>{ticks}-{id}</c>.
/// </summary>
public readonly record struct EntryCursor(DateTime OccurredAt, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OccurredAt.Ticks}-{Id}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out EntryCursor? cursor)
    {
        cursor = null;
        var dash = text?.IndexOf('-') ?? -1;
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        cursor = new EntryCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
