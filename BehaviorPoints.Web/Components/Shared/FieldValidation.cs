namespace BehaviorPoints.Web.Components.Shared;

/// <summary>
/// A MudBlazor field's <c>Validation</c> from the domain's field errors. A numeric field keeps its error state itself
/// (a bound <c>Error</c> is overwritten as it validates), so the domain's message has to come through its own validation.
/// </summary>
public static class FieldValidation
{
    /// <summary>Validates a field by the message <paramref name="errorOf"/> gives for <paramref name="field"/> (null when none).</summary>
    public static Func<T, string?> Of<T>(Func<string, string?> errorOf, string field) => _ => errorOf(field);
}
