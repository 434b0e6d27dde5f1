/** SQLite persistence (xerial sqlite-jdbc, Flyway migrations under db/migration). Depends on model only. */
package io.bootdesk.store;
