/** Immutable values shared by every other package. Depends on nothing. */
package io.bootdesk.model;
