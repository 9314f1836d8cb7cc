using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class SaidTexts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DisabledReasonSaid",
                table: "WebhookEndpoints",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextSaid",
                table: "UserNotifications",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReasonSaid",
                table: "LeadActivities",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DisabledReasonSaid",
                table: "WebhookEndpoints");

            migrationBuilder.DropColumn(
                name: "TextSaid",
                table: "UserNotifications");

            migrationBuilder.DropColumn(
                name: "ReasonSaid",
                table: "LeadActivities");
        }
    }
}
