"""Headless pictures and videos: frame timing, MP4 and GIF files read back, cancel, overlays."""

from __future__ import annotations

import imageio.v2 as iio2
import imageio.v3 as iio3
import numpy as np
import pytest

from anatomy_viewer.gait.animation import CycleAnimation
from anatomy_viewer.gait.library import load_gait
from anatomy_viewer.gait.sampling import caption_text
from anatomy_viewer.scene.export import (
    ExportCancelled,
    VideoSettings,
    VideoWriter,
    check_size,
    export_video,
    frame_count,
    frame_percents,
    legend_fits,
    render_picture,
    text_scale,
)

SMALL = (160, 120)


@pytest.fixture(scope="module")
def running(leg_model):
    return CycleAnimation(load_gait("running"), leg_model)


def _mp4_frames(path) -> np.ndarray:
    with iio2.get_reader(path) as reader:
        return np.stack(list(reader.iter_data()))


def test_frame_i_is_at_time_i_over_fps():
    p = frame_percents(stride_time=0.5, fps=10, cycles=2)
    assert len(p) == frame_count(0.5, 10, 2) == 10
    # 0.1 s per frame is 20 % of a 0.5 s stride; the second cycle starts again at 0
    np.testing.assert_allclose(p, [0, 20, 40, 60, 80, 0, 20, 40, 60, 80], atol=1e-9)
    assert frame_count(1.144, 30, 1) == 34  # round(34.32)
    with pytest.raises(ValueError):
        frame_percents(1.0, 0, 1)


def test_sizes_are_checked_for_the_format():
    assert check_size((3840, 2160)) == (3840, 2160)
    with pytest.raises(ValueError, match="outside"):
        check_size((3841, 2160))
    with pytest.raises(ValueError, match="even"):
        check_size((161, 120), ".mp4")
    assert check_size((161, 120), ".gif") == (161, 120)


def test_mp4_has_the_expected_frames_size_and_motion(running, tmp_path):
    fps = 16.0
    settings = VideoSettings(fps=fps, cycles=1, size=SMALL, view="side")
    calls: list[tuple[int, int]] = []
    result = export_video(
        running, tmp_path / "run.mp4", settings, progress=lambda d, n: calls.append((d, n))
    )
    expected = round(running.cycle.stride_time * fps)
    assert result.frames == expected
    assert calls[-1] == (expected, expected)
    frames = _mp4_frames(result.path)
    assert frames.shape == (expected, SMALL[1], SMALL[0], 3)
    with iio2.get_reader(result.path) as reader:
        assert reader.get_meta_data()["fps"] == pytest.approx(fps)
    # the leg moves: the half-cycle frame differs clearly from the first
    diff = np.abs(frames[0].astype(int) - frames[expected // 2].astype(int)).mean()
    assert diff > 2.0


def test_gif_loops_with_the_expected_frames(running, tmp_path):
    settings = VideoSettings(fps=20, cycles=1, size=SMALL, caption=False, legend=False)
    result = export_video(running, tmp_path / "run.gif", settings)
    frames = iio3.imread(result.path, index=None)
    assert frames.shape[:3] == (result.frames, SMALL[1], SMALL[0])
    assert np.abs(frames[0].astype(int) - frames[result.frames // 2].astype(int)).mean() > 2.0
    meta = iio3.immeta(result.path)
    assert meta.get("loop") == 0


def test_gif_colours_do_not_jump_between_frames(running, tmp_path):
    """One palette for the whole GIF: the legend, which does not change, reads back the same in
    every frame (with a palette per frame its bands moved), while the leg still moves."""
    size = (480, 270)  # wide enough for the legend
    settings = VideoSettings(fps=8, cycles=1, size=size, caption=False)
    result = export_video(running, tmp_path / "run.gif", settings)
    frames = iio3.imread(result.path, index=None).astype(int)
    assert frames.shape[:3] == (result.frames, size[1], size[0]) and result.frames >= 4
    x = round(0.91 * size[0])  # the legend bar: right, from 28 % to 74 % of the height
    bar = frames[:, round(0.3 * size[1]) : round(0.7 * size[1]), x - 2 : x + 3]
    assert len(np.unique(bar[0].reshape(-1, 3), axis=0)) >= 10  # the gradient, not 5 bands
    assert (bar == bar[0]).all()
    assert np.abs(frames[0] - frames[result.frames // 2]).mean() > 2.0


def test_gif_palette_keeps_the_key_colours():
    from anatomy_viewer.scene.colormaps import colormap
    from anatomy_viewer.scene.export import gif_palette

    keys = colormap("activation")(np.linspace(0, 1, 16))
    grey = np.full((40, 40, 3), 90, np.uint8)
    colours = np.asarray(gif_palette([grey], keys).getpalette()[:768]).reshape(-1, 3)
    for k in np.round(keys * 255).astype(int):
        assert (colours == k).all(axis=1).any()


def test_gif_delays_keep_the_total_time_right():
    w = VideoWriter.__new__(VideoWriter)
    w.fps = 30.0
    d = w.gif_durations(30)
    assert all(x % 10 == 0 for x in d)
    assert sum(d) == 1000  # 30 frames at 30 fps: one second, although 1/30 s is not 10 ms * k
    assert set(d) == {30, 40}


def test_cancelling_stops_and_removes_the_partial_file(running, tmp_path):
    out = tmp_path / "cancelled.mp4"
    done: list[int] = []
    with pytest.raises(ExportCancelled):
        export_video(
            running,
            out,
            VideoSettings(fps=30, cycles=2, size=SMALL),
            progress=lambda d, n: done.append(d),
            cancel=lambda: len(done) >= 3,
        )
    assert done[-1] == 3
    assert not out.exists()


def test_unknown_video_format_is_refused_before_rendering(running, tmp_path):
    with pytest.raises(ValueError, match=r"\.mp4 or \.gif"):
        export_video(running, tmp_path / "run.avi", VideoSettings(size=SMALL))
    assert not (tmp_path / "run.avi").exists()


def test_overlays_name_the_phase_and_percent(running):
    frame = running.at(25.0)
    text = caption_text(running.cycle, frame.percent)
    assert text.splitlines()[0] == "Running"
    assert "25 % of the stride" in text
    assert f"right: {frame.phase_r}" in text and f"left: {frame.phase_l}" in text


def test_a_whole_trial_is_captioned_in_seconds_without_guessed_phases(leg_model, tmp_path):
    from trial_files import write_motion

    from anatomy_viewer.gait.trial import load_trial

    cycle = load_trial(write_motion(tmp_path / "walk.mot")).to_cycle()  # no forces
    anim = CycleAnimation(cycle, leg_model)
    text = caption_text(cycle, anim.at(40.0).percent)
    assert "1.20 s into the trial" in text  # 40 % of 3 s
    assert "right:" not in text  # contacts unknown: no stance/swing claimed


def test_overlays_change_the_frame(running, tmp_path):
    plain = export_video(
        running,
        tmp_path / "plain.mp4",
        VideoSettings(fps=4, cycles=0.5, size=(480, 270), caption=False, legend=False),
    )
    labelled = export_video(
        running, tmp_path / "labelled.mp4", VideoSettings(fps=4, cycles=0.5, size=(480, 270))
    )
    a, b = _mp4_frames(plain.path)[0], _mp4_frames(labelled.path)[0]
    # the caption is written top left, the legend on the right; the leg in the middle is alike
    assert np.abs(a[:30, :150].astype(int) - b[:30, :150].astype(int)).max() > 80
    assert np.abs(a[:, -60:].astype(int) - b[:, -60:].astype(int)).max() > 80


def test_text_grows_with_the_picture():
    assert text_scale((1280, 720)) == pytest.approx(1.0)
    assert text_scale((3840, 2160)) == pytest.approx(3.0)
    assert text_scale((160, 120)) == pytest.approx(0.5)
    assert not legend_fits((320, 180)) and legend_fits((1280, 720))


def test_transparent_picture_has_an_alpha_channel_with_clear_corners(running, tmp_path):
    out = render_picture(
        running, 40.0, tmp_path / "leg.png", (320, 240), transparent_background=True
    )
    img = iio3.imread(out)
    assert img.shape == (240, 320, 4)
    assert all(img[y, x, 3] == 0 for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)))
    assert img[..., 3].max() == 255  # the leg itself is opaque


def test_copy_view_takes_camera_and_display_state(leg_model):
    from anatomy_viewer.scene.export import copy_view
    from anatomy_viewer.scene.leg_scene import LegScene

    source, target = LegScene(leg_model), LegScene(leg_model)
    source.set_view("front")
    source.renderer.GetActiveCamera().Azimuth(20.0)  # a camera the user moved
    source.set_colormap("cividis")
    source.set_gain(2.0)
    source.set_legend_visible(False)
    source.set_bone_opacity(0.3)
    source.set_side_visible(True, False)
    source.set_selected(5)
    source.set_isolated([1, 2, 3])
    source.set_highlighted([7])
    source.set_caption("Guided view: the calves")
    copy_view(source, target)
    a, b = source.renderer.GetActiveCamera(), target.renderer.GetActiveCamera()
    np.testing.assert_allclose(b.GetPosition(), a.GetPosition())
    np.testing.assert_allclose(b.GetFocalPoint(), a.GetFocalPoint())
    assert target.colormap.name == "cividis" and target.gain == 2.0
    assert not target.legend_visible and target.selected == 5
    assert target.bone_actors[0].GetProperty().GetOpacity() == pytest.approx(0.3)
    np.testing.assert_array_equal(target.visible_muscles(), source.visible_muscles())
    left = [i for i, b in enumerate(leg_model.bones) if b.side == "l"]
    assert not any(target.bone_actors[i].GetVisibility() for i in left)
    state = target.display_state()
    assert list(np.flatnonzero(state["isolated"])) == [1, 2, 3]
    assert list(np.flatnonzero(state["highlighted"])) == [7]
    assert target.caption == "Guided view: the calves"


def test_video_camera_keeps_every_pose_of_a_sprint_in_the_picture(leg_model):
    from anatomy_viewer.scene.export import frame_camera
    from anatomy_viewer.scene.leg_scene import LegScene
    from anatomy_viewer.scene.offscreen import offscreen_window

    anim = CycleAnimation(load_gait("sprinting"), leg_model)
    scene = LegScene(leg_model)
    window = offscreen_window(320, 180)
    scene.attach(window)
    try:
        frame_camera(scene, anim, "side")
        for p in np.linspace(0, 100, 20, endpoint=False):
            for x, y in (scene.display_position(c) for c in scene.framing_points(anim.at(p).pose)):
                assert 0 <= x <= 320 and 0 <= y <= 180
    finally:
        scene.detach()
        window.Finalize()


def test_slow_motion_stretches_the_cycle_over_more_frames(leg_model, tmp_path):
    sprint = CycleAnimation(load_gait("sprinting"), leg_model)
    stride = sprint.cycle.stride_time  # 0.46 s
    settings = VideoSettings(fps=10, cycles=1, size=SMALL, caption=False, legend=False, slow=4)
    result = export_video(sprint, tmp_path / "sprint.mp4", settings)
    assert result.frames == round(4 * stride * 10) == 18
    assert result.seconds == pytest.approx(4 * stride, abs=0.05)  # 1.84 s of video
    assert len(_mp4_frames(result.path)) == result.frames
    with pytest.raises(ValueError, match="slow must be within 1..20"):
        export_video(sprint, tmp_path / "x.mp4", VideoSettings(size=SMALL, slow=0.5))


# ============================================================================ honest success
def test_a_video_is_saved_only_when_it_reads_back_whole(tmp_path):
    """The written file is decoded before it replaces anything: a video with fewer frames
    than were written (a cut file) is an error naming the file, the old file stays."""
    from anatomy_viewer.safe_output import OutputError

    for name in ("short.mp4", "short.gif"):
        out = tmp_path / name
        out.write_bytes(b"old video")
        writer = VideoWriter(out, 10, SMALL)
        rng = np.random.default_rng(0)
        for _ in range(4):
            writer.append(rng.integers(0, 255, (SMALL[1], SMALL[0], 3), dtype=np.uint8))
        writer.frames_written += 1  # as if a frame had been lost on the way
        with pytest.raises(OutputError, match=r"reads back with 4 of 5 frames"):
            writer.close()
        assert out.read_bytes() == b"old video"
        assert not [p for p in tmp_path.iterdir() if ".partial" in p.name]


def test_a_cut_mp4_does_not_read_back(tmp_path):
    from anatomy_viewer.scene.export import _read_back_mp4

    writer = VideoWriter(tmp_path / "whole.mp4", 10, SMALL)
    rng = np.random.default_rng(1)
    for _ in range(20):
        writer.append(rng.integers(0, 255, (SMALL[1], SMALL[0], 3), dtype=np.uint8))
    path = writer.close()
    assert _read_back_mp4(path) == (20, SMALL)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="does not read back"):
        _read_back_mp4(cut)


def test_a_gif_lasts_its_frames_over_the_frame_rate(running, tmp_path):
    """GIF delays are whole hundredths: at 30 frames/s they alternate 30, 40, 30 ms, so the
    GIF lasts as long as the video should (not 10 % less, as with 30 ms each)."""
    from PIL import Image

    settings = VideoSettings(fps=30, cycles=1, size=SMALL, caption=False, legend=False)
    result = export_video(running, tmp_path / "run.gif", settings)
    with Image.open(result.path) as img:
        delays = []
        for i in range(img.n_frames):
            img.seek(i)
            delays.append(img.info["duration"])
    assert len(delays) == result.frames == round(running.cycle.stride_time * 30)
    assert sum(delays) == round(result.frames / 30 * 100) * 10  # ms, to the hundredth
    assert set(delays) == {30, 40}
    running_sum = np.cumsum(delays)
    ideal = np.arange(1, len(delays) + 1) * 1000 / 30
    assert np.abs(running_sum - ideal).max() <= 5.0


def test_gif_frames_are_streamed_to_the_file_as_they_come(running, tmp_path):
    """Frames go to the temporary file as they are rendered (memory stays that of a frame,
    however long the GIF); the file at the target appears only at the end."""
    from anatomy_viewer.scene.export import VideoExport

    out = tmp_path / "stream.gif"
    job = VideoExport(running, out, VideoSettings(fps=10, cycles=2, size=SMALL))
    sizes = []
    while job.write_next():
        sizes.append(job.writer.temporary_path.stat().st_size)
        assert not out.exists()
    job.finish()
    assert sizes[0] > 0 and all(b > a for a, b in zip(sizes, sizes[1:], strict=False))
    assert out.exists() and not job.writer.temporary_path.exists()


def test_videos_that_cannot_finish_are_refused_before_rendering(running, tmp_path):
    from anatomy_viewer.scene.export import MAX_GIF_FRAMES, MAX_VIDEO_FRAMES, check_frame_count

    with pytest.raises(ValueError, match="274,560 frames .* too many: a video has at most"):
        check_frame_count(274_560, 120, ".mp4")
    with pytest.raises(ValueError, match="a GIF has at most"):
        check_frame_count(MAX_GIF_FRAMES + 1, 30, ".gif")
    with pytest.raises(ValueError, match="a GIF plays at most 50 frames/s"):
        check_frame_count(100, 60, ".gif")
    assert check_frame_count(MAX_VIDEO_FRAMES, 30, ".mp4") == MAX_VIDEO_FRAMES
    settings = VideoSettings(fps=120, cycles=100, size=SMALL, slow=20)
    with pytest.raises(ValueError, match="too many"):
        export_video(running, tmp_path / "long.gif", settings)
    assert list(tmp_path.iterdir()) == []


def test_a_video_lasts_at_least_five_seconds_by_default(leg_model):
    from anatomy_viewer.scene.export import DEFAULT_VIDEO_SECONDS, default_cycles

    for gait in ("walking", "running", "sprinting"):
        stride = load_gait(gait).stride_time
        cycles = default_cycles(stride)
        assert cycles == int(cycles) >= 1
        assert DEFAULT_VIDEO_SECONDS <= cycles * stride < DEFAULT_VIDEO_SECONDS + stride
    assert default_cycles(0.69) == 8  # running: not one 0.7 s stride
    assert default_cycles(12.0) == 1  # a long trial: once through
    assert default_cycles(0.46, slow=4) == 3
