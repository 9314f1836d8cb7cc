using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BehaviorPoints.Core.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WebsiteTracker : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Leads",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VisitorId",
                table: "Behaviors",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SegmentMappings",
                columns: table => new
                {
                    Event = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Behavior = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SegmentMappings", x => x.Event);
                });

            migrationBuilder.CreateTable(
                name: "Sites",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Origins = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    Consent = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Identify = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreateLeads = table.Column<bool>(type: "INTEGER", nullable: false),
                    TrackAllForms = table.Column<bool>(type: "INTEGER", nullable: false),
                    PublishableKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProtectedIdentifySecret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IsSegmentSource = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sites", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Sites_Teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "Teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Visitors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SiteId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LeadId = table.Column<long>(type: "INTEGER", nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IdentifiedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LinkPending = table.Column<bool>(type: "INTEGER", nullable: false),
                    HeldReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Released = table.Column<bool>(type: "INTEGER", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Visitors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Visitors_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Visitors_Sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "Sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Behaviors_VisitorId_OccurredAt",
                table: "Behaviors",
                columns: new[] { "VisitorId", "OccurredAt" },
                filter: "\"VisitorId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Sites_Name",
                table: "Sites",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sites_PublishableKey",
                table: "Sites",
                column: "PublishableKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sites_TeamId",
                table: "Sites",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_Visitors_LeadId",
                table: "Visitors",
                column: "LeadId");

            migrationBuilder.CreateIndex(
                name: "IX_Visitors_SiteId_Key",
                table: "Visitors",
                columns: new[] { "SiteId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Visitors_SiteId_LastSeen",
                table: "Visitors",
                columns: new[] { "SiteId", "LastSeen" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SegmentMappings");

            migrationBuilder.DropTable(
                name: "Visitors");

            migrationBuilder.DropTable(
                name: "Sites");

            migrationBuilder.DropIndex(
                name: "IX_Behaviors_VisitorId_OccurredAt",
                table: "Behaviors");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "VisitorId",
                table: "Behaviors");
        }
    }
}
