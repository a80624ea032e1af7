CREATE TABLE `person_index` (
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`object_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `object_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `person_index_person` ON `person_index` (`person_id`,`kind`);