namespace BehaviorPoints.Core.Leads;

/// <summary>LIKE and ILIKE patterns for "contains", with <c>\</c> as the escape character.</summary>
internal static class LikePattern
{
    /// <summary>A pattern matching text that contains <paramref name="text"/>: its wildcards and escapes taken literally.</summary>
    public static string Containing(string text) => "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
