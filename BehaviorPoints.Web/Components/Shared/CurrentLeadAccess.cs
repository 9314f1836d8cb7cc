using BehaviorPoints.Core.Accounts;
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
        _access = await accessService.ForPrincipalAsync((await authentication.GetAuthenticationStateAsync()).User);
        return _access;
    }
}
