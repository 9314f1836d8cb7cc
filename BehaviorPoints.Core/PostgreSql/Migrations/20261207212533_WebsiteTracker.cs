using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
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
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VisitorId",
                table: "Behaviors",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SegmentMappings",
                columns: table => new
                {
                    Event = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Behavior = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SegmentMappings", x => x.Event);
                });

            migrationBuilder.CreateTable(
                name: "Sites",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Origins = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: true),
                    Consent = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Identify = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreateLeads = table.Column<bool>(type: "boolean", nullable: false),
                    TrackAllForms = table.Column<bool>(type: "boolean", nullable: false),
                    PublishableKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProtectedIdentifySecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsSegmentSource = table.Column<bool>(type: "boolean", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SiteId = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    LeadId = table.Column<long>(type: "bigint", nullable: true),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    IdentifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LinkPending = table.Column<bool>(type: "boolean", nullable: false),
                    HeldReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Released = table.Column<bool>(type: "boolean", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
