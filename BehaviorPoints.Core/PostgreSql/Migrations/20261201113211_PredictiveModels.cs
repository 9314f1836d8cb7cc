using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BehaviorPoints.Core.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PredictiveModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConversionFactorsJson",
                table: "Leads",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ConversionModelVersion",
                table: "Leads",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ConversionProbability",
                table: "Leads",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PredictedAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConversionModelVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    TrainedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    TrainedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    TrainedWon = table.Column<int>(type: "integer", nullable: false),
                    TrainedLost = table.Column<int>(type: "integer", nullable: false),
                    HoldoutWon = table.Column<int>(type: "integer", nullable: false),
                    HoldoutLost = table.Column<int>(type: "integer", nullable: false),
                    Auc = table.Column<double>(type: "double precision", nullable: false),
                    MetricsJson = table.Column<string>(type: "text", nullable: false),
                    SlotsJson = table.Column<string>(type: "text", nullable: false),
                    ModelBytes = table.Column<byte[]>(type: "bytea", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LiveSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversionModelVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobCursors",
                columns: table => new
                {
                    Job = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    BehaviorId = table.Column<long>(type: "bigint", nullable: false),
                    LeadUpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LeadId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobCursors", x => x.Job);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConversionProbability",
                table: "Leads",
                column: "ConversionProbability");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_UpdatedAt_Id",
                table: "Leads",
                columns: new[] { "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ConversionModelVersions_Version",
                table: "ConversionModelVersions",
                column: "Version",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConversionModelVersions");

            migrationBuilder.DropTable(
                name: "JobCursors");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConversionProbability",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_UpdatedAt_Id",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ConversionFactorsJson",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ConversionModelVersion",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ConversionProbability",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PredictedAt",
                table: "Leads");
        }
    }
}
