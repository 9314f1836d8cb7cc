using System.Globalization;
using System.Text.Json;

namespace BehaviorPoints.Core.Engine;

/// <summary>
/// One attribute value of a behavior: text, number or boolean. <see cref="Text"/> is always set (numbers in invariant
/// form, booleans as <c>true</c>/<c>false</c>); <see cref="Number"/> is set when the value is a number or text that reads as one.
/// </summary>
public readonly record struct AttributeValue
{
    private AttributeValue(string text, decimal? number)
    {
        Text = text;
        Number = number;
    }

    public string Text { get; }
    public decimal? Number { get; }

    public static AttributeValue FromText(string text) => new(text, ParseNumber(text));

    public static AttributeValue FromNumber(decimal number) => new(number.ToString(CultureInfo.InvariantCulture), number);

    public static AttributeValue FromBoolean(bool value) => new(value ? "true" : "false", null);

    /// <summary>Reads a JSON scalar; false for objects, arrays and null.</summary>
    public static bool TryFromJson(JsonElement element, out AttributeValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = FromText(element.GetString()!);
                return true;
            case JsonValueKind.Number when element.TryGetDecimal(out var number):
                value = FromNumber(number);
                return true;
            case JsonValueKind.True:
            case JsonValueKind.False:
                value = FromBoolean(element.GetBoolean());
                return true;
            default:
                value = default;
                return false;
        }
    }

    private static decimal? ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    public override string ToString() => Text;
}
