// Package docs holds the project's documentation (architecture.md, record.md and the domain
// reference the code cites); its tests keep the documents and the code in agreement.
package docs
