using System.Security.Claims;
using BehaviorPoints.Core.Leads;
using Microsoft.AspNetCore.Components.Authorization;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>The signed-in user's lead access, worked out once per circuit.</summary>
internal sealed class CurrentLeadAccess(AuthenticationStateProvider authentication, LeadAccessService accessService)
{
    private LeadAccess? _access;

    public async Task<LeadAccess> GetAsync()
    {
        if (_access is not null)
        {
            return _access;
        }
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        _access = userId is null
            ? LeadAccess.Teams([])
            : await accessService.ForUserAsync(userId, user.FindAll(ClaimTypes.Role).Select(c => c.Value));
        return _access;
    }
}
