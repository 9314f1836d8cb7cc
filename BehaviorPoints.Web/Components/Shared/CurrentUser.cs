using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>The signed-in user's id and name, read once per circuit.</summary>
internal sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    private (string? Id, string Name, ClaimsPrincipal Principal)? _user;

    public async Task<(string? Id, string Name, ClaimsPrincipal Principal)> GetAsync()
    {
        if (_user is { } known)
        {
            return known;
        }
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        _user = (principal.FindFirstValue(ClaimTypes.NameIdentifier), principal.Identity?.Name ?? "unknown", principal);
        return _user.Value;
    }
}
