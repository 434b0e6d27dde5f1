/**
 * The try-it sandbox: {@link io.bootdesk.engine.demo.DemoPrerequisites} says what the machine lacks,
 * {@link io.bootdesk.engine.demo.DemoLab} builds a private network namespace, runs an engine inside it and boots QEMU
 * machines from it, {@link io.bootdesk.engine.demo.DemoImage} makes the tiny image they boot.
 */
package io.bootdesk.engine.demo;
