using System.Net;
using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using BehaviorPoints.Web.Localization;
using Microsoft.AspNetCore.Components.Rendering;

namespace BehaviorPoints.Tests.Web.Localization;

/// <summary>
/// No English the reader sees is written straight into a component's markup: every text goes through <c>L[...]</c>.
/// The components are read as the Razor compiler built them, so every literal the render trees write is found (text
/// between tags, and the words of attributes and component parameters a reader sees or hears, such as a label or an
/// aria-label), wherever it sits in a .razor file; a Chinese reader would otherwise meet it in English.
/// </summary>
public sealed partial class MarkupTextTests
{
    // The attributes and parameters a reader sees or a screen reader speaks.
    private static readonly HashSet<string> s_readerFacing = new(StringComparer.Ordinal)
    {
        "aria-label", "title", "placeholder", "alt", "Label", "Placeholder", "HelperText", "Title", "Text", "AriaLabel",
        "AdornmentAriaLabel", "ButtonText", "ContentText", "YesText", "NoText", "CancelText", "Tooltip",
    };

    // What may stay as written in any language: names of products, formats and standards, and samples of input.
    private static readonly HashSet<string> s_names = new(StringComparer.Ordinal)
    {
        "BehaviorPoints", "CSV", "JSON", "API", "OpenAPI", "URL", "HTTP", "HTTPS", "POST", "GET", "PUT", "DELETE", "Segment", "HMAC",
        "SHA256", "UTC", "ID", "Basic", "Webhooks", "ERP", "CRM", "AUC", "Bearer", "cURL", "GitHub",
    };

    // Samples of what a reader types or pastes as it is, in any language: code of the tracker's snippet and of a webhook
    // request, and an event name as Segment sends it.
    private static readonly HashSet<string> s_samples = new(StringComparer.Ordinal)
    {
        "<form data-bp-form=\"contact-us\">",
        "<a href=\"/whitepaper.pdf\" data-bp-event=\"content.download\" data-bp-content-id=\"wp-7\">",
        "bp('track', 'webinar.attend', { webinarId: 'w-12' }) , bp('identify', { email, name, signature }) , bp('consent', true)",
        "data: {",
        "Whitepaper Downloaded",
    };

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void No_component_writes_English_text_that_does_not_go_through_the_localizer()
    {
        var literals = RenderedLiterals(typeof(Ui).Assembly).ToList();
        Assert.True(literals.Count > 500, $"{literals.Count} literals found in the render trees");

        var english = literals
            .Where(l => l.Kind == LiteralKind.Content || s_readerFacing.Contains(l.Name!))
            .Select(l => (l.Component, Text: TextOf(l.Value)))
            .Where(l => !s_samples.Contains(l.Text) && !AddressSample().IsMatch(l.Text))
            .Where(l => Words(l.Text).Any(w => !s_names.Contains(w)))
            .Select(l => $"{l.Component}: \"{l.Text}\"")
            .Distinct()
            .ToList();

        Assert.True(english.Count == 0, string.Join("\n", english));
    }

    [Fact]
    public void The_check_finds_a_hard_coded_English_text_node_and_attribute()
    {
        var found = RenderedLiterals(typeof(MarkupTextTests).Assembly).Where(l => l.Component.Contains(nameof(HardCoded), StringComparison.Ordinal)).ToList();

        Assert.Contains(found, l => l.Kind == LiteralKind.Content && TextOf(l.Value) == "Save the draft");
        Assert.Contains(found, l => l.Kind == LiteralKind.Attribute && l.Name == "aria-label" && l.Value == "Close dialog");
        Assert.Equal(["Save", "the", "draft"], Words(TextOf("<b>Save</b> the&nbsp;draft 3 × 4 → 12 %")));
    }

    private enum LiteralKind { Content, Attribute }

    private sealed record Literal(string Component, LiteralKind Kind, string? Name, string Value);

    /// <summary>
    /// The string literals each method of the assembly hands to a render tree builder: markup and text content, and the
    /// literal values of attributes and component parameters (an <c>ldstr</c> name, an <c>ldstr</c> value, then the call).
    /// </summary>
    private static IEnumerable<Literal> RenderedLiterals(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
                {
                    continue;
                }
                // A lambda's closure class belongs to the component it was written in.
                var component = (type.Name.StartsWith('<') ? type.DeclaringType ?? type : type).Name;
                var strings = new List<string?>();
                foreach (var (opCode, operand) in Instructions(il))
                {
                    if (opCode == OpCodes.Ldstr)
                    {
                        strings.Add(type.Module.ResolveString(operand));
                        continue;
                    }
                    if ((opCode == OpCodes.Call || opCode == OpCodes.Callvirt) && Resolve(type.Module, operand) is { } called
                        && called.DeclaringType == typeof(RenderTreeBuilder))
                    {
                        var last = strings.Count > 0 ? strings[^1] : null;
                        var beforeLast = strings.Count > 1 ? strings[^2] : null;
                        switch (called.Name)
                        {
                            case nameof(RenderTreeBuilder.AddMarkupContent) or nameof(RenderTreeBuilder.AddContent) when last is not null:
                                yield return new Literal(component, LiteralKind.Content, null, last);
                                break;
                            case nameof(RenderTreeBuilder.AddAttribute) or nameof(RenderTreeBuilder.AddComponentParameter) when last is not null && beforeLast is not null:
                                yield return new Literal(component, LiteralKind.Attribute, beforeLast, last);
                                break;
                        }
                    }
                    // Only a string loaded right before the call is its argument.
                    strings.Add(null);
                }
            }
        }
    }

    private static MethodBase? Resolve(Module module, int token)
    {
        try
        {
            return module.ResolveMethod(token);
        }
        catch (ArgumentException)
        {
            return null; // a generic method of a generic type that needs its context: never the builder's
        }
    }

    // The instructions of a method body: each op code with its 4-byte operand (tokens), others skipped by their size.
    private static IEnumerable<(OpCode OpCode, int Operand)> Instructions(byte[] il)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[++i]) : il[i];
            i++;
            var opCode = s_opCodes[value];
            var operand = 0;
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                default:
                    operand = BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
            }
            yield return (opCode, operand);
        }
    }

    // The text a reader meets in a literal: tags dropped, entities decoded, white space collapsed.
    private static string TextOf(string markup) =>
        WhiteSpace().Replace(WebUtility.HtmlDecode(Tag().Replace(markup, " ")), " ").Trim();

    // Latin-alphabet words of two letters or more: what reads as English (numbers, symbols and Chinese pass).
    private static List<string> Words(string text) => [.. LatinWord().Matches(text).Select(m => m.Value)];

    // A web address or an email address given as an example of one.
    [GeneratedRegex(@"^(https?://\S+|[^\s@]+@[^\s@]+\.[a-z]+)$")]
    private static partial Regex AddressSample();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex LatinWord();

    /// <summary>A component that writes English straight into its markup, to show the check would find it.</summary>
    private sealed class HardCoded : Microsoft.AspNetCore.Components.ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "aria-label", "Close dialog");
            builder.AddMarkupContent(2, "<b>Save</b> the draft");
            builder.CloseElement();
        }
    }
}
