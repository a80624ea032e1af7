CREATE INDEX `people_updated_at` ON `people` (`updated_at`);--> statement-breakpoint
CREATE INDEX `professional_memberships_kind` ON `professional_memberships` (`kind`);