using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BehaviorPoints.Web.Localization;

/// <summary>
/// MudBlazor's own texts (the grid's pager, close buttons, date pickers) from our resources, under their MudBlazor key
/// prefixed with "Mud:"; a key we do not translate keeps MudBlazor's English.
/// </summary>
internal sealed class MudUiLocalizer(IStringLocalizer<Ui> ui) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var ours = ui["Mud:" + key];
            return ours.ResourceNotFound ? base[key] : new LocalizedString(key, ours.Value);
        }
    }

    public override LocalizedString this[string key, params object[] arguments]
    {
        get
        {
            var ours = ui["Mud:" + key, arguments];
            return ours.ResourceNotFound ? base[key, arguments] : new LocalizedString(key, ours.Value);
        }
    }
}
